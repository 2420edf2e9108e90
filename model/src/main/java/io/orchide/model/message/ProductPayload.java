package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A product on its way down: a header (the product's id on the node, run, step, item, output name, size, SHA-256
 * of the content, downlink priority, creation and expiry, and its lineage as a JSON document) followed by the
 * file's bytes. Encoded as a 4-byte big-endian header length, the header JSON, then the content.
 */
public record ProductPayload(Header header, byte[] content) {
    /** Largest header accepted, so a corrupt length cannot make a reader allocate gigabytes. */
    public static final int MAX_HEADER = 64 * 1024;

    public record Header(long id, String run, String step, String item, String name, long size, String sha256,
                         int priority, Instant created, Instant expires, String lineage) {
    }

    public byte[] encode() {
        byte[] head = encodeHeader(header);
        return ByteBuffer.allocate(head.length + content.length).put(head).put(content).array();
    }

    /** The part before the content: its length and the header JSON; the content follows (streamed by the sender). */
    public static byte[] encodeHeader(Header header) {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("id", header.id());
        o.put("run", header.run());
        o.put("step", header.step());
        Messages.putText(o, "item", header.item());
        o.put("name", header.name());
        o.put("size", header.size());
        o.put("sha256", header.sha256());
        o.put("priority", header.priority());
        Messages.putInstant(o, "created", header.created());
        Messages.putInstant(o, "expires", header.expires());
        Messages.putText(o, "lineage", header.lineage());
        byte[] h = Messages.bytes(o);
        return ByteBuffer.allocate(4 + h.length).putInt(h.length).put(h).array();
    }

    public static ProductPayload decode(byte[] payload) throws MessageException {
        if (payload.length < 4) throw fault("", payload.length + " bytes", "shorter than its header length");
        int len = ByteBuffer.wrap(payload).getInt();
        if (len < 2 || len > MAX_HEADER || len > payload.length - 4) {
            throw fault("headerLength", Integer.toString(len), "must be from 2 to " + Math.min(MAX_HEADER, payload.length - 4));
        }
        byte[] h = new byte[len];
        System.arraycopy(payload, 4, h, 0, len);
        Header header = Messages.read(BundleKind.PRODUCT.wire(), h, c -> {
            c.allowOnly("id", "run", "step", "item", "name", "size", "sha256", "priority", "created", "expires", "lineage");
            Integer id = c.field("id").integer(1, Integer.MAX_VALUE);
            if (!c.field("id").present()) c.field("id").missing();
            Integer size = c.field("size").integer(0, Integer.MAX_VALUE);
            if (!c.field("size").present()) c.field("size").missing();
            Integer priority = c.field("priority").integer(0, 100);
            String sha = c.field("sha256").requiredString();
            if (sha != null && !sha.matches("[0-9a-f]{64}")) c.field("sha256").error("must be 64 lowercase hex digits");
            return new Header(id == null ? 0 : id, c.field("run").requiredString(), c.field("step").requiredString(),
                    c.field("item").string(), c.field("name").requiredString(), size == null ? -1 : size, sha,
                    priority == null ? 50 : priority, Messages.instant(c.field("created"), true),
                    Messages.instant(c.field("expires"), false), c.field("lineage").string());
        });
        byte[] content = new byte[payload.length - 4 - len];
        System.arraycopy(payload, 4 + len, content, 0, content.length);
        if (content.length != header.size()) {
            throw fault("size", Long.toString(header.size()), "does not match the " + content.length + " bytes carried");
        }
        String actual = sha256(content);
        if (!actual.equals(header.sha256())) throw fault("sha256", header.sha256(), "does not match the content (" + actual + ")");
        return new ProductPayload(header, content);
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageException fault(String field, String value, String message) {
        return new MessageException(BundleKind.PRODUCT.wire(), List.of(new io.orchide.model.FieldError(field, value, message)));
    }
}
