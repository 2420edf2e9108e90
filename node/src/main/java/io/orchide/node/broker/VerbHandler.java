package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers a verb of the pull API that is not a device's (such as {@code infer}): given the whole request, it decides,
 * audits and answers in the protocol's shape ({@link #ok} or {@link #refused}).
 */
public interface VerbHandler {
    ObjectNode answer(Caller caller, JsonNode request) throws InterruptedException;

    /** An answer {@code {"id", "ok": true, "result"}}, to which the handler may add fields. */
    static ObjectNode ok(JsonNode id, ObjectNode result) {
        ObjectNode a = TwinHandler.JSON.createObjectNode();
        if (id != null) a.set("id", id);
        a.put("ok", true);
        a.set("result", result);
        return a;
    }

    /** An answer {@code {"id", "ok": false, "code", "field", "message"}}; {@code field} may be null. */
    static ObjectNode refused(JsonNode id, String code, String field, String message) {
        return BrokerProtocol.error(id, code, field, message);
    }
}
