package io.orchide.ground.auth.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;

/**
 * GETs of the issuer's JSON documents (discovery, JWKS) with a timeout and a size bound; redirects are not followed,
 * so the keys come from the address discovery named and nowhere else.
 */
final class IssuerHttp {
    /** Far above any real JWKS or discovery document, far below what would hurt ground's memory. */
    static final int MAX_BYTES = 512 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    IssuerHttp(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The document at {@code uri} as a JSON object; an {@link IOException} says what went wrong, naming the address. */
    Map<String, Object> getJson(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(uri + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException(uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) throw new IOException(uri + ": HTTP " + response.statusCode());
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw new IOException(uri + ": larger than " + MAX_BYTES + " bytes");
            return JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IOException(uri + ": not a JSON object: " + e.getMessage(), e);
        }
    }
}
