package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * An operation on a node's dataset asked through ground: {@code op} is {@code ls} (the datasets and their files, as
 * they are now), {@code cp} or {@code mv} ({@code dataset}/{@code file} to dataset {@code to}, as {@code name} or its
 * own name when null), {@code rm} ({@code dataset}/{@code file}) or {@code get} (bring {@code dataset}/{@code file}
 * down: in the answer up to {@link DatasetResult#MAX_CONTENT} bytes, a larger one as a {@link DatasetFile} downlink)
 * or {@code put} (write the uplinked image {@code content}, {@code bytes} long, into {@code dataset} as {@code file};
 * the content travels as image chunks beside the command, and {@code by} names who asked, for the file's lineage).
 * {@code id} is ground's number for the operation, {@code tenant} the tenant it is done for (null: the operator,
 * fleet-wide), {@code at} when it was asked.
 */
public record DatasetCommand(long id, String op, String tenant, String dataset, String file, String to, String name,
                             Instant at, String content, Long bytes, String by) {
    public static final String LS = "ls", CP = "cp", MV = "mv", RM = "rm", GET = "get", PUT = "put";
    public static final List<String> OPS = List.of(LS, CP, MV, RM, GET, PUT);

    /** An operation that carries no content (every one but {@code put}). */
    public DatasetCommand(long id, String op, String tenant, String dataset, String file, String to, String name,
                          Instant at) {
        this(id, op, tenant, dataset, file, to, name, at, null, null, null);
    }

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("id", id).put("op", op);
        Messages.putText(o, "tenant", tenant);
        Messages.putText(o, "dataset", dataset);
        Messages.putText(o, "file", file);
        Messages.putText(o, "to", to);
        Messages.putText(o, "name", name);
        Messages.putInstant(o, "at", at);
        Messages.putText(o, "content", content);
        if (bytes != null) o.put("bytes", bytes);
        Messages.putText(o, "by", by);
        return Messages.bytes(o);
    }

    public static DatasetCommand decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.DATASET_COMMAND.wire(), payload, c -> {
            c.allowOnly("id", "op", "tenant", "dataset", "file", "to", "name", "at", "content", "bytes", "by");
            Long id = c.field("id").size(1);
            if (!c.field("id").present()) c.field("id").missing();
            var opField = c.field("op");
            String op = opField.requiredString();
            if (op != null && !OPS.contains(op)) opField.error("must be one of " + String.join(", ", OPS));
            var contentField = c.field("content");
            String content = PUT.equals(op) ? contentField.requiredString() : contentField.nonEmptyString();
            if (content != null && !content.matches("sha256:[0-9a-f]{64}")) {
                contentField.error("must be sha256: and 64 lowercase hex digits");
            }
            Long bytes = c.field("bytes").size(0);
            return new DatasetCommand(id == null ? 0 : id, op, c.field("tenant").nonEmptyString(),
                    c.field("dataset").nonEmptyString(), c.field("file").nonEmptyString(),
                    c.field("to").nonEmptyString(), c.field("name").nonEmptyString(),
                    Messages.instant(c.field("at"), false), content, bytes, c.field("by").nonEmptyString());
        });
    }
}
