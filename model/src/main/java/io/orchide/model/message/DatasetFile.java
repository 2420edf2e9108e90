package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.FieldError;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A dataset's file on its way down for the {@code get} of dataset operation {@code command}, too large for the
 * operation's answer: a header (the operation, the node, the dataset and file, its size and SHA-256) followed by the
 * file's bytes. Encoded as products are: a 4-byte big-endian header length, the header JSON, then the content, so the
 * node streams the content from the file and the link carries it in resumable pieces. A content whose size or
 * SHA-256 differs from the header's is refused.
 */
public record DatasetFile(Header header, byte[] content) {
    /** Largest header accepted, so a corrupt length cannot make a reader allocate gigabytes. */
    public static final int MAX_HEADER = 16 * 1024;

    public record Header(long command, String node, String dataset, String file, long size, String sha256) {
    }

    public byte[] encode() {
        byte[] head = encodeHeader(header);
        return ByteBuffer.allocate(head.length + content.length).put(head).put(content).array();
    }

    /** The part before the content: its length and the header JSON; the content follows (streamed by the sender). */
    public static byte[] encodeHeader(Header h) {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("command", h.command()).put("node", h.node()).put("dataset", h.dataset()).put("file", h.file())
                .put("size", h.size()).put("sha256", h.sha256());
        byte[] json = Messages.bytes(o);
        return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
    }

    public static DatasetFile decode(byte[] payload) throws MessageException {
        if (payload.length < 4) throw fault("", payload.length + " bytes", "shorter than its header length");
        int len = ByteBuffer.wrap(payload).getInt();
        if (len < 2 || len > MAX_HEADER || len > payload.length - 4) {
            throw fault("headerLength", Integer.toString(len), "must be from 2 to " + Math.min(MAX_HEADER, payload.length - 4));
        }
        byte[] h = new byte[len];
        System.arraycopy(payload, 4, h, 0, len);
        Header header = Messages.read(BundleKind.DATASET_FILE.wire(), h, c -> {
            c.allowOnly("command", "node", "dataset", "file", "size", "sha256");
            Long command = c.field("command").size(1);
            if (!c.field("command").present()) c.field("command").missing();
            Long size = c.field("size").size(0);
            if (!c.field("size").present()) c.field("size").missing();
            String sha = c.field("sha256").requiredString();
            if (sha != null && !sha.matches("[0-9a-f]{64}")) c.field("sha256").error("must be 64 lowercase hex digits");
            return new Header(command == null ? 0 : command, c.field("node").requiredString(),
                    c.field("dataset").requiredString(), c.field("file").requiredString(), size == null ? -1 : size,
                    sha);
        });
        byte[] content = new byte[payload.length - 4 - len];
        System.arraycopy(payload, 4 + len, content, 0, content.length);
        if (content.length != header.size()) {
            throw fault("size", Long.toString(header.size()), "does not match the " + content.length + " bytes carried");
        }
        String actual = ProductPayload.sha256(content);
        if (!actual.equals(header.sha256())) {
            throw fault("sha256", header.sha256(), "does not match the content (" + actual + ")");
        }
        return new DatasetFile(header, content);
    }

    private static MessageException fault(String field, String value, String message) {
        return new MessageException(BundleKind.DATASET_FILE.wire(), List.of(new FieldError(field, value, message)));
    }
}
