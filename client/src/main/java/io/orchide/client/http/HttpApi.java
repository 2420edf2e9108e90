package io.orchide.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.Server;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A node's or ground's API over plain HTTP, for a program that applies without the CLI (the digital twin). Over the
 * JDK's {@link HttpURLConnection}: {@code java.net.http.HttpClient} sets up TLS and a selector thread even for plain
 * http. An error reply becomes a {@link ServerException} carrying the status and the server's own message.
 */
public final class HttpApi implements Server {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofHours(1);

    private final URI base;

    /** @param base the server's address, {@code http://host:port}, without a path */
    public HttpApi(URI base) {
        this.base = Objects.requireNonNull(base, "base");
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("server: an http://host:port address (got " + base + ")");
        }
    }

    public URI base() { return base; }

    @Override
    public JsonNode get(String path) {
        try {
            return reply(open("GET", path, CALL_TIMEOUT));
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    @Override
    public JsonNode post(String path, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        try {
            HttpURLConnection c = open("POST", path, CALL_TIMEOUT);
            c.setRequestProperty("Content-Type", "application/yaml");
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            return reply(c);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    @Override
    public JsonNode upload(String path, Path file, String label) {
        try {
            long size = Files.size(file);
            HttpURLConnection c = open("POST", path, UPLOAD_TIMEOUT);
            c.setRequestProperty("Content-Type", "application/octet-stream");
            c.setFixedLengthStreamingMode(size);
            try (InputStream in = Files.newInputStream(file); OutputStream out = c.getOutputStream()) {
                in.transferTo(out);
            }
            return reply(c);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new io.orchide.client.ApplyException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private HttpURLConnection open(String method, String path, Duration timeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setDoOutput(method.equals("POST"));
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        c.setUseCaches(false);
        c.setRequestProperty("Accept", "application/json");
        return c;
    }

    private JsonNode reply(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        if (status >= 400) {
            JsonNode body;
            try (InputStream in = c.getErrorStream()) {
                body = in == null ? Trees.readJson(new byte[0]) : Trees.readJson(in.readAllBytes());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                body = Trees.readJson(new byte[0]); // not JSON: the status says it
            }
            throw new ServerException(c.getURL().getPath(), status, body);
        }
        try (InputStream in = c.getInputStream()) {
            return Trees.readJson(in.readAllBytes());
        }
    }

    private ServerException unreachable(IOException e) {
        return new ServerException("cannot reach " + base + ": " + e.getMessage());
    }
}
