package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.Server;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.ServerException;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The server a verb talks to, as the CLI shows it: the client module's {@link HttpApi} does the talking; this adds a
 * progress bar on stderr for each transfer and says each failure in the CLI's words (a {@link CliException}, with
 * the options that would fix it).
 */
final class ApiClient implements Server {
    static final Json JSON = new Json();
    static final String DEFAULT_SERVER = "http://127.0.0.1:7100";

    private final HttpApi http;

    ApiClient(String server) {
        this(server, null);
    }

    /** @param token sent as a bearer token with every request; null for none */
    ApiClient(String server, String token) {
        java.net.URI base = ServerUrl.parse(server == null || server.isBlank() ? DEFAULT_SERVER : server.strip());
        try {
            this.http = new HttpApi(base, (label, total) -> new Progress(System.err, label, total), token);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage() + "; set it with --token, ORCHIDE_TOKEN or `orchide config set-context`");
        }
    }

    java.net.URI base() { return http.base(); }

    @Override
    public JsonNode get(String path) { return said(() -> http.get(path)); }

    JsonNode get(String path, Duration timeout) { return said(() -> http.get(path, timeout)); }

    @Override
    public JsonNode post(String path, String body) { return said(() -> http.post(path, body)); }

    JsonNode post(String path, JsonNode body) { return said(() -> http.post(path, body)); }

    JsonNode put(String path, JsonNode body) { return said(() -> http.put(path, body)); }

    JsonNode delete(String path) { return said(() -> http.delete(path)); }

    /** A plain-text reply (logs) as it comes. */
    InputStream stream(String path) { return said(() -> http.stream(path)); }

    /** Streams {@code file} up with a progress bar; the reply. */
    @Override
    public JsonNode upload(String path, Path file, String label) { return said(() -> http.upload(path, file, label)); }

    /** Streams a reply into {@code out} (written whole, then renamed) with a progress bar; the bytes written. */
    long download(String path, Path out, String label) { return said(() -> http.download(path, out, label)); }

    static String query(String... keyValues) { return HttpApi.query(keyValues); }

    private <T> T said(Supplier<T> call) {
        try {
            return call.get();
        } catch (ServerException e) {
            if (e.reason() == ServerException.Reason.REFUSED && e.status() == 401
                    && e.reply().path("message").asText().startsWith(io.orchide.node.api.TokenGate.REFUSAL)) {
                throw nodeTokenNeeded(e);
            }
            throw said(e);
        } catch (io.orchide.client.ApplyException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** A node refused the call for want of its token: where the token is, and the ways to give it. */
    private CliException nodeTokenNeeded(ServerException e) {
        CliException refused = CliException.fromReply(e.status(), e.reply());
        String host = http.base().getHost();
        boolean here = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        String get = "orchide node token --data-dir DIR";
        return new CliException(refused.getMessage(), List.of(
                (here ? "on this machine: export ORCHIDE_TOKEN=$(" + get + ")" : "on the node, " + get + " prints it")
                        + " (DIR: the node's --data-dir; as the user the node runs as)",
                "or give it with --token, or as a context's token (orchide config set-context NAME --server "
                        + http.base() + " --token ...)"));
    }

    /** A failed call in the CLI's words. */
    static CliException said(ServerException e) {
        return switch (e.reason()) {
            case REFUSED -> CliException.fromReply(e.status(), e.reply());
            case UNREACHABLE -> new CliException("cannot reach " + e.server() + " (" + e.why() + "): is `orchide node` "
                    + "(or `orchide ground`) running there? Set --server, ORCHIDE_SERVER or the current context's server (orchide config) to its "
                    + "--listen address");
            case CUT_SHORT -> new CliException(e.why());
            case GROUND_NOT_NODE -> new CliException(e.server() + " is orchide ground, not a node: give --satellite NAME "
                    + "to act on a satellite through it (" + (e.satellites().isEmpty() ? "no satellite has registered yet"
                    : "satellites: " + String.join(", ", e.satellites())) + "), or point --server/ORCHIDE_SERVER at a node");
            case NOT_GROUND -> new CliException(e.server() + " is not orchide ground (it does not serve " + e.path()
                    + "): satellites and --satellite go through ground, so point --server/ORCHIDE_SERVER at it; without "
                    + "--satellite a verb talks to the node it names");
        };
    }
}
