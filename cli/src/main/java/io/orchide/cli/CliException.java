package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A client verb failed; the message (and field errors) are printed, the exit status is non-zero. */
final class CliException extends RuntimeException {
    private final List<String> details;

    CliException(String message) { this(message, List.of()); }

    CliException(String message, List<String> details) {
        super(message);
        this.details = List.copyOf(details);
    }

    List<String> details() { return details; }

    static CliException fromReply(int status, JsonNode body) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : body.path("errors")) {
            String v = e.hasNonNull("value") ? " (got " + e.get("value").asText() + ")" : "";
            lines.add(e.path("field").asText() + ": " + e.path("message").asText() + v);
        }
        if (lines.isEmpty() && body.hasNonNull("field")) lines.add("field: " + body.get("field").asText());
        String msg = body.path("message").asText("HTTP " + status);
        return new CliException(msg + " [" + body.path("code").asText(String.valueOf(status)) + "]", lines);
    }
}
