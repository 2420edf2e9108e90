package io.orchide.twin.run;

import io.orchide.client.Applied;
import io.orchide.client.Applier;
import io.orchide.client.http.HttpApi;
import io.orchide.model.Manifest;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies manifests to a satellite through ground, as {@code orchide apply -f FILE --satellite SAT} does once the file
 * is read and its images pushed ({@link ImageSigner#byContent}); returns what ground said, one line per document.
 */
@FunctionalInterface
public interface ManifestApplier {
    /** Applies {@code manifests} to {@code satellite} through the ground at {@code groundApi}, as the bearer of {@code token}. */
    String apply(String groundApi, String token, List<Manifest> manifests, String satellite);

    /** The client module's apply flow over HTTP, the one the CLI's {@code apply} runs. */
    static ManifestApplier throughGround() {
        return (groundApi, token, manifests, satellite) ->
                new Applier(new HttpApi(URI.create(groundApi), io.orchide.client.http.Transfers.NONE, token))
                        .toSatellite(satellite, manifests).stream()
                        .map(Applied::line).collect(Collectors.joining("\n"));
    }
}
