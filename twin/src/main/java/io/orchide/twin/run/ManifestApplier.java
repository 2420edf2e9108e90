package io.orchide.twin.run;

import io.orchide.client.Applied;
import io.orchide.client.Applier;
import io.orchide.client.ManifestFiles;
import io.orchide.client.http.HttpApi;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;

import java.net.URI;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Applies a manifest file to a satellite through ground, as {@code orchide apply -f FILE --satellite SAT} does
 * (images that are files here are pushed by content first); returns what ground said, one line per document.
 */
@FunctionalInterface
public interface ManifestApplier {
    /** Applies {@code file} to {@code satellite} through the ground at {@code groundApi}, as the bearer of {@code token}. */
    String apply(String groundApi, String token, Path file, String satellite);

    /** The client module's apply flow over HTTP, the one the CLI's {@code apply} runs. */
    static ManifestApplier throughGround() {
        return (groundApi, token, file, satellite) -> {
            try {
                return new Applier(new HttpApi(URI.create(groundApi), io.orchide.client.http.Transfers.NONE, token))
                        .toSatellite(satellite, ManifestFiles.read(file)).stream()
                        .map(Applied::line).collect(Collectors.joining("\n"));
            } catch (ManifestException e) {
                throw new IllegalArgumentException(file + ": manifest rejected: " + e.errors().stream()
                        .map(FieldError::toString).collect(Collectors.joining("; ")), e);
            }
        };
    }
}
