package io.orchide.client.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON GETs and form POSTs to an OAuth 2.0 issuer over the JDK's {@link HttpURLConnection} (the client's HTTP, see
 * {@code HttpApi}), with timeouts and without following redirects. An OAuth error reply (400 or 401 with a JSON
 * {@code error}) comes back as its body for the caller to read; anything else that is not 200 is a
 * {@link DeviceFlowException}.
 */
final class OAuthHttp {
    private static final int MAX_BYTES = 256 * 1024;

    /** A reply: its status and JSON body. */
    record Reply(int status, JsonNode body) {
        String error() {
            return body.path("error").asText("");
        }
    }

    private final Duration timeout;

    OAuthHttp(Duration timeout) {
        this.timeout = timeout;
    }

    JsonNode get(URI uri) {
        Reply r = exchange(uri, null);
        if (r.status() != 200) throw new DeviceFlowException(r.error(), uri + ": HTTP " + r.status() + described(r));
        return r.body();
    }

    /** POSTs {@code form} urlencoded; the reply, OAuth errors included. */
    Reply post(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return exchange(uri, body.getBytes(StandardCharsets.UTF_8));
    }

    private Reply exchange(URI uri, byte[] form) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setRequestProperty("Accept", "application/json");
            if (form != null) {
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                c.setFixedLengthStreamingMode(form.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(form);
                }
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                byte[] bytes = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) throw new DeviceFlowException("", uri + ": a reply larger than " + MAX_BYTES + " bytes");
                JsonNode body;
                try {
                    body = bytes.length == 0 ? Trees.readJson("{}".getBytes(StandardCharsets.UTF_8)) : Trees.readJson(bytes);
                } catch (IOException e) {
                    throw new DeviceFlowException("", uri + ": HTTP " + status + " with a body that is not JSON");
                }
                if (!body.isObject()) throw new DeviceFlowException("", uri + ": HTTP " + status + " with a body that is not a JSON object");
                return new Reply(status, body);
            }
        } catch (IOException e) {
            throw new DeviceFlowException("", "cannot reach " + uri + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    static String described(Reply r) {
        String error = r.error();
        String description = r.body().path("error_description").asText("");
        if (error.isEmpty()) return "";
        return ": " + error + (description.isEmpty() ? "" : " (" + description + ")");
    }
}
