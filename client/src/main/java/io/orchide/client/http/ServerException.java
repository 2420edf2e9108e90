package io.orchide.client.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A server refused a call, or could not be reached: the message says the path, the status and the server's own
 * message with its field errors ({@code field: message (got value)}).
 */
public final class ServerException extends RuntimeException {
    private final int status;

    ServerException(String path, int status, JsonNode body) {
        super(describe(path, status, body));
        this.status = status;
    }

    ServerException(String message) {
        super(message);
        this.status = 0;
    }

    /** The HTTP status of the refusal; 0 when the server was not reached. */
    public int status() { return status; }

    private static String describe(String path, int status, JsonNode body) {
        StringBuilder b = new StringBuilder(path).append(": ")
                .append(body.path("message").asText("HTTP " + status))
                .append(" [").append(body.path("code").asText(String.valueOf(status))).append(']');
        for (JsonNode e : body.path("errors")) {
            b.append("; ").append(e.path("field").asText()).append(": ").append(e.path("message").asText());
            if (e.hasNonNull("value")) b.append(" (got ").append(e.get("value").asText()).append(')');
        }
        return b.toString();
    }
}
