package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** A named event sent from ground, raised on the node as if posted to its local events endpoint. */
public record EventCommand(String name, Instant at) {
    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("name", name);
        Messages.putInstant(o, "at", at);
        return Messages.bytes(o);
    }

    public static EventCommand decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.EVENT.wire(), payload, c -> {
            c.allowOnly("name", "at");
            return new EventCommand(c.field("name").requiredString(), Messages.instant(c.field("at"), false));
        });
    }
}
