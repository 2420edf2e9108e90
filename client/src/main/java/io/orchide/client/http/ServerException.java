package io.orchide.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A call did not succeed: the server refused it, could not be reached, or is not the kind of server the path is for.
 * The message says the path, the status and the server's own message with its field errors
 * ({@code field: message (got value)}); {@link #reason()} and the accessors let a caller say it in its own words.
 */
public final class ServerException extends RuntimeException {
    /** Why the call failed. */
    public enum Reason {
        /** The server answered with an error status; {@link #reply()} is its body. */
        REFUSED,
        /** No answer: connection refused, timed out, or cut. */
        UNREACHABLE,
        /** A download ended before the length the server announced. */
        CUT_SHORT,
        /** A node's path sent to ground: {@link #satellites()} names those ground knows. */
        GROUND_NOT_NODE,
        /** A ground path ({@code /api/v1/satellites...}) sent to a server that is not ground. */
        NOT_GROUND
    }

    private final Reason reason;
    private final URI server;
    private final String path;
    private final int status;
    private final JsonNode reply;
    private final List<String> satellites;
    private final String why;

    private ServerException(Reason reason, URI server, String path, int status, JsonNode reply, List<String> satellites,
                            String why, String message, Throwable cause) {
        super(message, cause);
        this.why = why;
        this.reason = reason;
        this.server = server;
        this.path = path;
        this.status = status;
        this.reply = reply == null ? JsonNodeFactory.instance.objectNode() : reply;
        this.satellites = List.copyOf(satellites);
    }

    static ServerException refused(URI server, String path, int status, JsonNode reply) {
        return new ServerException(Reason.REFUSED, server, path, status, reply, List.of(), null,
                describe(path, status, reply), null);
    }

    static ServerException unreachable(URI server, String path, String why, Throwable cause) {
        return new ServerException(Reason.UNREACHABLE, server, path, 0, null, List.of(), why,
                "cannot reach " + server + ": " + why, cause);
    }

    static ServerException cutShort(URI server, String path, long got, long announced) {
        String why = "download cut short: " + got + " of " + announced + " bytes";
        return new ServerException(Reason.CUT_SHORT, server, path, 0, null, List.of(), why, path + ": " + why, null);
    }

    static ServerException groundNotNode(URI server, String path, int status, JsonNode reply, List<String> satellites) {
        return new ServerException(Reason.GROUND_NOT_NODE, server, path, status, reply, satellites, null,
                server + " is orchide ground, not a node (it does not serve " + path + ")", null);
    }

    static ServerException notGround(URI server, String path, int status, JsonNode reply) {
        return new ServerException(Reason.NOT_GROUND, server, path, status, reply, List.of(), null,
                server + " is not orchide ground (it does not serve " + path + ")", null);
    }

    public Reason reason() { return reason; }

    /** The server's address, as the caller gave it. */
    public URI server() { return server; }

    /** The path called. */
    public String path() { return path; }

    /** The HTTP status of the refusal; 0 when the server was not reached. */
    public int status() { return status; }

    /** The error reply's JSON body; an empty object when there was none or it was not JSON. */
    public JsonNode reply() { return reply; }

    /** For {@link Reason#GROUND_NOT_NODE}: the satellites ground knows (maybe none yet); empty otherwise. */
    public List<String> satellites() { return satellites; }

    /** For {@link Reason#UNREACHABLE} and {@link Reason#CUT_SHORT}: what went wrong ({@code connection refused}, a cut); null otherwise. */
    public String why() { return why; }

    /** The reply's field errors, one line each: {@code field: message (got value)}. */
    public List<String> fieldErrors() {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : reply.path("errors")) {
            String v = e.hasNonNull("value") ? " (got " + e.get("value").asText() + ")" : "";
            lines.add(e.path("field").asText() + ": " + e.path("message").asText() + v);
        }
        return lines;
    }

    private static String describe(String path, int status, JsonNode body) {
        Objects.requireNonNull(body, "body");
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
