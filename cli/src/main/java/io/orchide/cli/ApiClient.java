package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks JSON to a node's or ground's API; turns error replies into {@link CliException}s. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_SERVER = "http://127.0.0.1:7100";

    private final URI base;
    private final HttpClient http;

    ApiClient(String server) {
        this.base = ServerUrl.parse(server == null || server.isBlank() ? DEFAULT_SERVER : server.strip());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    URI base() { return base; }

    JsonNode get(String path) { return get(path, Duration.ofSeconds(60)); }

    JsonNode get(String path, Duration timeout) { return call(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET()); }

    JsonNode post(String path, String body) {
        return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    JsonNode post(String path, JsonNode body) {
        return call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    JsonNode delete(String path) { return call(HttpRequest.newBuilder(uri(path)).DELETE()); }

    /** Streams a plain-text response body (logs) to the caller. */
    InputStream stream(String path) {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 400) {
                try (InputStream in = r.body()) {
                    throw CliException.fromReply(r.statusCode(), JSON.readTree(in));
                }
            }
            return r.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** Streams {@code file} up as the request body, with a progress bar on stderr; returns the JSON reply. */
    JsonNode upload(String path, java.nio.file.Path file, String label) {
        try {
            long size = java.nio.file.Files.size(file);
            Progress progress = new Progress(System.err, label, size);
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> {
                        try {
                            return new CountingInput(java.nio.file.Files.newInputStream(file), progress);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }), size);
            JsonNode r = call(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofHours(1)).POST(body));
            progress.finish();
            return r;
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Streams a binary response into {@code out} (written whole, then renamed), with a progress bar on stderr. */
    long download(String path, java.nio.file.Path out, String label) {
        java.nio.file.Path abs = out.toAbsolutePath();
        java.nio.file.Path part = abs.resolveSibling(abs.getFileName() + ".part");
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() >= 400) throw CliException.fromReply(r.statusCode(), JSON.readTree(in));
                long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                Progress progress = new Progress(System.err, label, total);
                long n = 0;
                try (var o = java.nio.file.Files.newOutputStream(part)) {
                    byte[] buf = new byte[64 * 1024];
                    for (int k; (k = in.read(buf)) > 0; ) {
                        o.write(buf, 0, k);
                        n += k;
                        progress.advance(k);
                    }
                }
                if (total >= 0 && n != total) throw new CliException("download cut short: " + n + " of " + total + " bytes");
                java.nio.file.Files.move(part, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                progress.finish();
                return n;
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(part);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** Counts what is read through it into a progress bar. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final Progress progress;

        CountingInput(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) progress.advance(n);
            return n;
        }
    }

    private JsonNode call(HttpRequest.Builder b) {
        try {
            HttpRequest req = b.build();
            if (req.timeout().isEmpty()) req = b.timeout(Duration.ofSeconds(60)).build();
            HttpResponse<String> r = http.send(req,
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            if (r.statusCode() == 404 && body.path("message").asText().startsWith("no such resource: ")) {
                throw wrongServer(req.uri().getPath(), r.statusCode(), body);
            }
            if (r.statusCode() >= 400) throw CliException.fromReply(r.statusCode(), body);
            return body;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /**
     * A path the server does not serve at all: most often a node's verb sent to ground without {@code --satellite},
     * or a {@code --satellite} verb sent to a node. Ground is the server that lists satellites.
     */
    private CliException wrongServer(String path, int status, JsonNode body) {
        boolean toGround = path.startsWith("/api/v1/satellites");
        JsonNode sats = null;
        if (!toGround) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/satellites"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) sats = JSON.readTree(r.body()).path("items");
            } catch (IOException e) {
                // not ground either: the reply stands as it is
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sats != null) {
            java.util.List<String> names = new java.util.ArrayList<>();
            sats.forEach(n -> names.add(n.path("name").asText()));
            return new CliException(base + " is orchide ground, not a node: give --satellite NAME to act on a "
                    + "satellite through it (" + (names.isEmpty() ? "no satellite has registered yet"
                    : "satellites: " + String.join(", ", names)) + "), or point --server/ORCHIDE_SERVER at a node");
        }
        if (toGround) {
            return new CliException(base + " does not serve " + path + ": --satellite goes through orchide ground; "
                    + "point --server/ORCHIDE_SERVER at ground, or leave --satellite out to talk to this node");
        }
        return CliException.fromReply(status, body);
    }

    private CliException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return new CliException("cannot reach " + base + " (" + why + "): is `orchide node` (or `orchide ground`) "
                + "running there? Set ORCHIDE_SERVER or --server to its --listen address");
    }

    /** {@code ?k=v&...} from key, value pairs, values URL-encoded, null values left out; "" when none is left. */
    static String query(String... keyValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) continue;
            b.append(b.isEmpty() ? '?' : '&').append(keyValues[i]).append('=')
                    .append(java.net.URLEncoder.encode(keyValues[i + 1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private URI uri(String path) { return URI.create(base + path); }
}
