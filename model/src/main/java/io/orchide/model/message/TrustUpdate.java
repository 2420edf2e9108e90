package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Ground to node: signed documents of the operator's chain of trust (root versions, a tenant's delegation) sent to
 * every satellite as soon as ground takes them, so that a rotation or a revocation reaches a node without waiting for
 * a desired-state change. Opaque text here; each document is verified on board against what the node holds.
 */
public record TrustUpdate(List<String> documents) {
    public TrustUpdate {
        documents = List.copyOf(documents);
    }

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        documents.forEach(o.putArray("documents")::add);
        return Messages.bytes(o);
    }

    public static TrustUpdate decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.TRUST.wire(), payload, c -> {
            c.allowOnly("documents");
            if (!c.field("documents").present()) c.field("documents").missing();
            return new TrustUpdate(c.field("documents").stringList());
        });
    }
}
