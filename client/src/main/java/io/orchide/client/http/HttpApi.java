package io.orchide.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchide.client.ApplyException;
import io.orchide.client.Server;
import io.orchide.model.codec.Trees;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node's or ground's API over HTTP, for the CLI and for a program that applies without it (the digital twin): JSON
 * calls, a log streamed, an image uploaded and a product downloaded with their progress told to {@link Transfers}.
 * Over the JDK's {@link HttpURLConnection}: {@code java.net.http.HttpClient} sets up TLS and a selector thread even
 * for plain http, which cost every client verb a good part of its start-up. Every failure is a
 * {@link ServerException} that says why ({@link ServerException.Reason}), including a path sent to the wrong kind of
 * server (a node's verb sent to ground, a satellite's to a node), which is recognised here once for every caller.
 * With a token, every request carries it as {@code Authorization: Bearer}; the token appears in no message, exception
 * or {@link #toString()}.
 * <p>
 * A GET or DELETE answered 503 with {@code Retry-After} (ground while its database is away: nothing of the request
 * was done) is sent again after the wait it asks, at most {@link #MAX_RETRY_PAUSE} at a time and
 * {@link #MAX_RETRY_WAIT} in all, saying so once on the notice line; then its 503 is reported as any refusal. A POST
 * is never sent twice.
 */
public final class HttpApi implements Server {
    /** The longest pause between two tries of a request answered 503, whatever its Retry-After asks. */
    static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(3);
    /** The most a request waits in all for a server answering 503 before it reports the 503. */
    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(10);

    /** How a pause is waited (the test's records it instead). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofHours(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final String SATELLITES = "/api/v1/satellites";

    private final URI base;
    private final Transfers transfers;
    private final String authorization;
    private final java.util.function.Consumer<String> notices;
    private final Sleeper sleeper;

    /** @param base the server's address, {@code http(s)://host:port}, without a path */
    public HttpApi(URI base) {
        this(base, Transfers.NONE);
    }

    public HttpApi(URI base, Transfers transfers) {
        this(base, transfers, null);
    }

    /**
     * @param base      the server's address, {@code http(s)://host:port}, without a path
     * @param transfers told of each upload and download as it goes
     * @param token     sent as {@code Authorization: Bearer} on every request; null sends none
     */
    public HttpApi(URI base, Transfers transfers, String token) {
        this(base, transfers, token, System.err::println, d -> Thread.sleep(d));
    }

    /** ... telling {@code notices} (a line each) when it waits for a server, and waiting through {@code sleeper}. */
    HttpApi(URI base, Transfers transfers, String token, java.util.function.Consumer<String> notices, Sleeper sleeper) {
        this.notices = Objects.requireNonNull(notices, "notices");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.base = Objects.requireNonNull(base, "base");
        this.transfers = Objects.requireNonNull(transfers, "transfers");
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new IllegalArgumentException("server: an http://host:port address (got " + base + ")");
        }
        if (token != null) {
            String problem = io.orchide.client.config.ConfigValues.token(token);
            if (problem != null) throw new IllegalArgumentException("token: " + problem);
        }
        this.authorization = token == null ? null : "Bearer " + token;
    }

    public URI base() { return base; }

    @Override
    public String toString() {
        return "HttpApi[" + base + (authorization == null ? "" : ", with a token") + "]";
    }

    @Override
    public JsonNode get(String path) {
        return get(path, CALL_TIMEOUT);
    }

    /** GETs {@code path}, waiting up to {@code timeout} for the reply (a long poll). */
    public JsonNode get(String path, Duration timeout) {
        return call("GET", path, null, null, timeout);
    }

    /** POSTs {@code text} as YAML (JSON is YAML too). */
    @Override
    public JsonNode post(String path, String text) {
        return call("POST", path, "application/yaml", text.getBytes(StandardCharsets.UTF_8), CALL_TIMEOUT);
    }

    /** POSTs a JSON document. */
    public JsonNode post(String path, JsonNode body) {
        return call("POST", path, "application/json", Trees.toJson(body, false).getBytes(StandardCharsets.UTF_8),
                CALL_TIMEOUT);
    }

    /** PUTs a JSON document. */
    public JsonNode put(String path, JsonNode body) {
        return call("PUT", path, "application/json", Trees.toJson(body, false).getBytes(StandardCharsets.UTF_8),
                CALL_TIMEOUT);
    }

    public JsonNode delete(String path) {
        return call("DELETE", path, null, null, CALL_TIMEOUT);
    }

    /** A plain-text reply body (logs) as it comes; no read timeout, as a followed log may be quiet a long time. */
    public InputStream stream(String path) {
        try {
            HttpURLConnection c = open("GET", path, Duration.ZERO);
            int status = c.getResponseCode();
            if (status >= 400) throw failed(c, path, status);
            return c.getInputStream();
        } catch (IOException e) {
            throw unreachable(path, e);
        }
    }

    /** Streams {@code file} up as the body of a POST, telling {@link Transfers} under {@code label}; the reply. */
    @Override
    public JsonNode upload(String path, Path file, String label) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ApplyException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new ApplyException("cannot read " + file + ": " + e.getMessage());
        }
        Transfers.Transfer t = transfers.start(label, size);
        try {
            HttpURLConnection c = open("POST", path, UPLOAD_TIMEOUT);
            c.setRequestProperty("Content-Type", "application/octet-stream");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(size);
            try (InputStream in = new Counting(Files.newInputStream(file), t); OutputStream out = c.getOutputStream()) {
                in.transferTo(out);
            }
            JsonNode r = reply(c, path);
            t.finish();
            return r;
        } catch (NoSuchFileException e) {
            throw new ApplyException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw unreachable(path, e);
        }
    }

    /**
     * Streams a binary reply into {@code out}: written whole beside it, then renamed, so that {@code out} never holds
     * a part; tells {@link Transfers} under {@code label}. Returns the bytes written.
     */
    public long download(String path, Path out, String label) {
        Path abs = out.toAbsolutePath();
        Path part = abs.resolveSibling(abs.getFileName() + ".part");
        try {
            HttpURLConnection c = open("GET", path, CALL_TIMEOUT);
            int status = c.getResponseCode();
            if (status >= 400) throw failed(c, path, status);
            try (InputStream in = c.getInputStream()) {
                long total = c.getContentLengthLong();
                Transfers.Transfer t = transfers.start(label, total);
                long n;
                try (OutputStream o = Files.newOutputStream(part)) {
                    n = new Counting(in, t).transferTo(o);
                }
                if (total >= 0 && n != total) {
                    throw ServerException.cutShort(base, path, n, total);
                }
                Files.move(part, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                t.finish();
                return n;
            }
        } catch (IOException e) {
            throw unreachable(path, e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // a leftover part file says what it is by its name
            }
        }
    }

    /** {@code ?k=v&...} from key, value pairs, values URL-encoded, null values left out; "" when none is left. */
    public static String query(String... keyValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) continue;
            b.append(b.isEmpty() ? '?' : '&').append(keyValues[i]).append('=')
                    .append(URLEncoder.encode(keyValues[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private JsonNode call(String method, String path, String contentType, byte[] body, Duration timeout) {
        // only requests that do the same however often they are sent are sent again
        boolean again = body == null && (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"));
        Duration waited = Duration.ZERO;
        while (true) {
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
                Duration pause = again && c.getResponseCode() == 503
                        ? retryPause(c.getHeaderField("Retry-After"), MAX_RETRY_WAIT.minus(waited)) : null;
                if (pause == null) return reply(c, path);
                ServerException unavailable = failed(c, path, 503);
                if (waited.isZero()) {
                    String why = unavailable.reply() == null ? "" : unavailable.reply().path("message").asText("");
                    notices.accept(base + " is unavailable" + (why.isEmpty() ? "" : " (" + why + ")")
                            + "; trying again for up to " + MAX_RETRY_WAIT.toSeconds() + " s");
                }
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw unavailable;
                }
                waited = waited.plus(pause);
            } catch (IOException e) {
                throw unreachable(path, e);
            }
        }
    }

    /**
     * The pause before trying again that a 503's {@code Retry-After} asks (seconds; a date, or anything else, counts
     * as the longest pause), within {@link #MAX_RETRY_PAUSE} and the {@code left} of the whole wait; null for no
     * further try: no header, or no time left.
     */
    static Duration retryPause(String retryAfter, Duration left) {
        if (retryAfter == null || !left.isPositive()) return null;
        Duration asked;
        try {
            asked = Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            asked = MAX_RETRY_PAUSE;
        }
        if (asked.compareTo(MAX_RETRY_PAUSE) > 0) asked = MAX_RETRY_PAUSE;
        if (asked.isZero()) asked = Duration.ofMillis(100); // "now": still not a busy loop
        return asked.compareTo(left) > 0 ? left : asked;
    }

    private HttpURLConnection open(String method, String path, Duration timeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        c.setUseCaches(false);
        c.setRequestProperty("Accept", "application/json");
        if (authorization != null) {
            // a redirect could lead to another host, which must not receive the token: none is followed
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("Authorization", authorization);
        }
        return c;
    }

    /** The reply's JSON (an empty object when there is no body); an error status becomes a {@link ServerException}. */
    private JsonNode reply(HttpURLConnection c, String path) throws IOException {
        int status = c.getResponseCode();
        if (status >= 400) throw failed(c, path, status);
        try (InputStream in = c.getInputStream()) {
            return json(in.readAllBytes());
        }
    }

    private ServerException failed(HttpURLConnection c, String path, int status) throws IOException {
        JsonNode body;
        try (InputStream in = c.getErrorStream()) {
            body = in == null ? json(new byte[0]) : json(in.readAllBytes());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            body = json(new byte[0]); // not JSON: the status says it
        }
        if (status == 404 && body.path("message").asText().startsWith("no such resource: ")) {
            return wrongServer(path, status, body);
        }
        return ServerException.refused(base, path, status, body);
    }

    /**
     * A path the server does not serve at all: most often a node's verb sent to ground without a satellite, or a
     * satellite's sent to a node. Ground is the server that lists satellites.
     */
    private ServerException wrongServer(String path, int status, JsonNode body) {
        if (path.startsWith(SATELLITES)) return ServerException.notGround(base, path, status, body);
        try {
            HttpURLConnection c = open("GET", SATELLITES, PROBE_TIMEOUT);
            if (c.getResponseCode() == 200) {
                List<String> names = new ArrayList<>();
                try (InputStream in = c.getInputStream()) {
                    json(in.readAllBytes()).path("items").forEach(n -> names.add(n.path("name").asText()));
                }
                return ServerException.groundNotNode(base, path, status, body, names);
            }
        } catch (IOException e) {
            // not ground either: the refusal stands as it is
        }
        return ServerException.refused(base, path, status, body);
    }

    private ServerException unreachable(String path, IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
        return ServerException.unreachable(base, path, why, e);
    }

    private static JsonNode json(byte[] bytes) throws IOException {
        JsonNode n = Trees.readJson(bytes);
        return n.isMissingNode() ? JsonNodeFactory.instance.objectNode() : n;
    }

    /** Tells a transfer what is read through it. */
    private static final class Counting extends FilterInputStream {
        private final Transfers.Transfer transfer;

        Counting(InputStream in, Transfers.Transfer transfer) {
            super(in);
            this.transfer = transfer;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) transfer.advance(n);
            return n;
        }
    }
}
