package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

/**
 * Ground asks a node for the whole log of a workload ({@link BundleKind#LOG_REQUEST}); {@code request} is ground's
 * number for the request, which the answer ({@link FullLog}) carries back.
 */
public record LogRequest(String workload, long request) {
    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("workload", workload);
        o.put("request", request);
        return Messages.bytes(o);
    }

    public static LogRequest decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.LOG_REQUEST.wire(), payload, c -> {
            c.allowOnly("workload", "request");
            String workload = c.field("workload").requiredString();
            Cursor r = c.field("request");
            Integer request = r.integer(1, Integer.MAX_VALUE);
            if (!r.present()) r.missing();
            return new LogRequest(workload, request == null ? 0 : request);
        });
    }
}
