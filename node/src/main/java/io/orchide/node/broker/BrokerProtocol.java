package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.model.FieldValueException;

import java.io.IOException;

/**
 * One request of the pull API and its answer, whatever carried it (a socket's line, a file of a request directory):
 * {@code {"id": 1, "verb": "capture", "device": "camera-1", ...}} answered by
 * {@code {"id": 1, "ok": true, "grant": "...", "result": {...}}} or {@code {"id": 1, "ok": false, "code": ...,
 * "message": ...}}.
 */
final class BrokerProtocol {
    private BrokerProtocol() {
    }

    /** The answer to one request of {@code caller}. */
    static ObjectNode answer(Broker broker, Caller caller, String line) throws InterruptedException {
        JsonNode req;
        try {
            req = TwinHandler.JSON.readTree(line);
        } catch (IOException e) {
            return malformed(broker, caller, null, "request", "is not JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (!req.isObject()) return malformed(broker, caller, null, "request", "must be a JSON object");
        JsonNode id = req.get("id");
        String verbText = req.path("verb").asText(null);
        DeviceGrantSpec.Verb verb = verbText == null ? null : DeviceGrantSpec.Verb.of(verbText);
        VerbHandler other = verb == null ? broker.verbHandler(verbText) : null;
        if (other != null) {
            ObjectNode a = other.answer(caller, req);
            String code = a.path("ok").asBoolean() ? "allowed" : a.path("code").asText("failed");
            broker.count(verbText, code);
            if (Broker.INVALID.equals(code)) {
                broker.auditMalformed(caller, verbText + " " + a.path("field").asText("request") + ": "
                        + a.path("message").asText());
            }
            return a;
        }
        if (verb == null) {
            return malformed(broker, caller, id, "verb", "must be one of: " + String.join(", ", broker.verbs())
                    + " (got " + verbText + ")");
        }
        String device = req.path("device").asText(null);
        if (device == null || device.isBlank()) return malformed(broker, caller, id, "device", "is required");
        try {
            Broker.Outcome o = broker.perform(caller, device, verb, req);
            if (!o.decision().allowed()) return error(id, o.decision().code(), null, o.decision().reason());
            ObjectNode a = TwinHandler.JSON.createObjectNode();
            if (id != null) a.set("id", id);
            a.put("ok", true).put("grant", o.decision().grant());
            a.set("result", o.result());
            return a;
        } catch (FieldValueException e) {
            return error(id, "invalid", e.field(), e.getMessage());
        } catch (IOException e) {
            return error(id, "failed", null, e.getMessage());
        }
    }

    /** The answer to a request the broker could not read, audited ({@link Broker#malformed}). */
    static ObjectNode malformed(Broker broker, Caller caller, JsonNode id, String field, String message) {
        broker.malformed(caller, field + ": " + message);
        return error(id, Broker.INVALID, field, message);
    }

    static ObjectNode error(JsonNode id, String code, String field, String message) {
        ObjectNode a = TwinHandler.JSON.createObjectNode();
        if (id != null) a.set("id", id);
        a.put("ok", false).put("code", code);
        if (field != null) a.put("field", field);
        a.put("message", message);
        return a;
    }

}
