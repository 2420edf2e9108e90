package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Talks JSON to a node's or ground's API; turns error replies into {@link CliException}s. Over the JDK's
 * {@link HttpURLConnection}: {@code java.net.http.HttpClient} sets up TLS (the default trust store, a selector
 * thread) even for plain http, which cost every verb a good part of its start-up.
 */
final class ApiClient {
    static final Json JSON = new Json();
    static final String DEFAULT_SERVER = "http://127.0.0.1:7100";
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;

    ApiClient(String server) {
        this.base = ServerUrl.parse(server == null || server.isBlank() ? DEFAULT_SERVER : server.strip());
    }

    URI base() { return base; }

    JsonNode get(String path) { return get(path, DEFAULT_TIMEOUT); }

    JsonNode get(String path, Duration timeout) { return call("GET", path, null, null, timeout); }

    JsonNode post(String path, String body) {
        return call("POST", path, "application/yaml", body.getBytes(StandardCharsets.UTF_8), DEFAULT_TIMEOUT);
    }

    JsonNode post(String path, JsonNode body) {
        return call("POST", path, "application/json", body.toString().getBytes(StandardCharsets.UTF_8), DEFAULT_TIMEOUT);
    }

    JsonNode delete(String path) { return call("DELETE", path, null, null, DEFAULT_TIMEOUT); }

    /** Streams a plain-text response body (logs) to the caller; no read timeout, as a followed log may be quiet. */
    InputStream stream(String path) {
        try {
            HttpURLConnection c = open("GET", path, Duration.ZERO);
            int status = c.getResponseCode();
            if (status >= 400) throw failed(c, status);
            return c.getInputStream();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** Streams {@code file} up as the request body, with a progress bar on stderr; returns the JSON reply. */
    JsonNode upload(String path, java.nio.file.Path file, String label) {
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        Progress progress = new Progress(System.err, label, size);
        HttpURLConnection c;
        try {
            c = open("POST", path, Duration.ofHours(1));
            c.setRequestProperty("Content-Type", "application/octet-stream");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(size);
        } catch (IOException e) {
            throw unreachable(e);
        }
        try (InputStream in = new CountingInput(java.nio.file.Files.newInputStream(file), progress)) {
            try (OutputStream out = c.getOutputStream()) {
                in.transferTo(out);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw unreachable(e);
        }
        JsonNode r = reply(c);
        progress.finish();
        return r;
    }

    /** Streams a binary response into {@code out} (written whole, then renamed), with a progress bar on stderr. */
    long download(String path, java.nio.file.Path out, String label) {
        java.nio.file.Path abs = out.toAbsolutePath();
        java.nio.file.Path part = abs.resolveSibling(abs.getFileName() + ".part");
        try {
            HttpURLConnection c = open("GET", path, DEFAULT_TIMEOUT);
            int status = c.getResponseCode();
            if (status >= 400) throw failed(c, status);
            try (InputStream in = c.getInputStream()) {
                long total = c.getContentLengthLong();
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

    private JsonNode call(String method, String path, String contentType, byte[] body, Duration timeout) {
        try {
            HttpURLConnection c = open(method, path, timeout);
            if (body != null) {
                c.setRequestProperty("Content-Type", contentType);
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            return reply(c);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** The reply's JSON ({} when empty); an error status becomes a {@link CliException}. */
    private JsonNode reply(HttpURLConnection c) {
        try {
            int status = c.getResponseCode();
            if (status >= 400) throw failed(c, status);
            try (InputStream in = c.getInputStream()) {
                return JSON.readTree(in);
            }
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private CliException failed(HttpURLConnection c, int status) throws IOException {
        JsonNode body;
        try (InputStream in = c.getErrorStream()) {
            body = in == null ? JSON.createObjectNode() : JSON.readTree(in);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            body = JSON.createObjectNode(); // not JSON: the status says it
        }
        if (status == 404 && body.path("message").asText().startsWith("no such resource: ")) {
            return wrongServer(c.getURL().getPath(), status, body);
        }
        return CliException.fromReply(status, body);
    }

    private HttpURLConnection open(String method, String path, Duration timeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri(path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        c.setUseCaches(false);
        c.setRequestProperty("Accept", "application/json");
        return c;
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
                HttpURLConnection c = open("GET", "/api/v1/satellites", Duration.ofSeconds(5));
                if (c.getResponseCode() == 200) {
                    try (InputStream in = c.getInputStream()) {
                        sats = JSON.readTree(in).path("items");
                    }
                }
            } catch (IOException e) {
                // not ground either: the reply stands as it is
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
            return new CliException(base + " is not orchide ground (it does not serve " + path + "): satellites "
                    + "and --satellite go through ground, so point --server/ORCHIDE_SERVER at it; without --satellite "
                    + "a verb talks to the node it names");
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
