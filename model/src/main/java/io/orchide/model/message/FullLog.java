package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

import java.time.Instant;

/**
 * A node's answer to a {@link LogRequest} ({@link BundleKind#FULL_LOG}): the whole log the node holds of the workload
 * as of {@code at} (its console ring, at most {@link #MAX_BYTES}: the oldest part goes first), or why it has none
 * ({@code problem}, with {@code log} empty).
 */
public record FullLog(String workload, long request, Instant at, String log, String problem) {
    public static final int MAX_BYTES = 4 << 20;

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("workload", workload);
        o.put("request", request);
        Messages.putInstant(o, "at", at);
        o.put("log", log);
        Messages.putText(o, "problem", problem);
        return Messages.bytes(o);
    }

    public static FullLog decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.FULL_LOG.wire(), payload, c -> {
            c.allowOnly("workload", "request", "at", "log", "problem");
            String workload = c.field("workload").requiredString();
            Cursor r = c.field("request");
            Integer request = r.integer(1, Integer.MAX_VALUE);
            if (!r.present()) r.missing();
            Instant at = Messages.instant(c.field("at"), true);
            Cursor l = c.field("log");
            String log = l.present() ? l.string() : null;
            if (!l.present()) l.missing();
            return new FullLog(workload, request == null ? 0 : request, at, log == null ? "" : log,
                    c.field("problem").nonEmptyString());
        });
    }
}
