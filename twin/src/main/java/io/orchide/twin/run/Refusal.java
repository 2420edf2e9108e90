package io.orchide.twin.run;

import io.orchide.client.http.ServerException;

/**
 * How ground answered a request the twin expected it to refuse: its HTTP status (-1 when it did not answer), its
 * error code (null when it gave none) and its message (or why there was none).
 */
record Refusal(int status, String code, String message) {
    static Refusal of(ServerException e) {
        int status = e.reason() == ServerException.Reason.UNREACHABLE ? -1 : e.status();
        String code = e.reply().path("code").isTextual() ? e.reply().path("code").asText() : null;
        String message = e.reply().path("message").isTextual() ? e.reply().path("message").asText() : e.getMessage();
        return new Refusal(status, code, message);
    }
}
