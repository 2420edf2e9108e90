package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.Applier;
import io.orchide.client.ManifestFiles;
import io.orchide.client.ServerImages;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.ServerException;
import io.orchide.client.http.Transfers;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Metadata;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code tamperedImage} fault: someone with a tenant's developer token takes one of the tenant's signed kernels,
 * flips one byte of it after it was signed, pushes the result (ground stores any bytes; its digest is new and nobody
 * signed it) and applies an App naming it to the satellite, with the runtime of the step that runs the real one. The
 * node, whose root is pinned, must refuse to boot it, keep the refusal in its audit and report it; ground must show
 * it in the satellite's events and in its audit log. {@link #outcome} asks ground what became of it.
 *
 * @param app         the App applied ({@code tampered-STEP})
 * @param original    the signed image the bytes came from
 * @param digest      the tampered image's digest
 * @param offset      the byte flipped
 */
record TamperedImage(String satellite, String tenant, String app, ImageSigner.Signed original, String digest,
                     long offset, Instant at) {

    /** What ground knew of the refusal at the end: the node's event, the audit entry; null where none was found. */
    record Outcome(JsonNode event, JsonNode audit, boolean booted) {
        boolean refused() {
            return event != null && event.path("message").asText().contains("refused");
        }
    }

    /**
     * Tampers with the first signed kernel of {@code tenant} that one of {@code manifests} runs, and applies it as
     * {@code token}'s bearer; empty when the tenant signed no file a step or App runs.
     */
    static Optional<TamperedImage> inject(String groundApi, String token, String tenant, List<Path> manifests,
                                          List<ImageSigner.Signed> signed, Path workDir, String satellite, Instant at)
            throws IOException {
        for (Path file : manifests) {
            List<Manifest> docs;
            try {
                docs = ManifestFiles.read(file);
            } catch (ManifestException e) {
                continue; // applied before without error: cannot happen, and then nothing to tamper with here
            }
            for (Manifest m : docs) {
                for (Map.Entry<String, AppSpec> run : runs(m)) {
                    Optional<ImageSigner.Signed> s = signedFile(run.getValue(), tenant, signed);
                    if (s.isPresent()) return Optional.of(apply(groundApi, token, tenant, run.getKey(), run.getValue(),
                            s.get(), workDir, satellite, at));
                }
            }
        }
        return Optional.empty();
    }

    /** What a manifest runs, by a name for it: each step's template of a Pipeline, an App's spec. */
    private static List<Map.Entry<String, AppSpec>> runs(Manifest m) {
        return switch (m) {
            case Pipeline p -> p.spec().steps().stream().filter(st -> st.template() != null)
                    .map(st -> Map.entry(st.name(), st.template())).toList();
            case App a -> List.of(Map.entry(a.name(), a.spec()));
            default -> List.of();
        };
    }

    private static Optional<ImageSigner.Signed> signedFile(AppSpec spec, String tenant, List<ImageSigner.Signed> signed) {
        if (spec.image() == null) return Optional.empty();
        Path image = Path.of(spec.image()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(image)) return Optional.empty();
        return signed.stream().filter(s -> s.tenant().equals(tenant) && s.source().equals(image)).findFirst();
    }

    private static TamperedImage apply(String groundApi, String token, String tenant, String step, AppSpec template,
                                       ImageSigner.Signed original, Path workDir, String satellite, Instant at)
            throws IOException {
        byte[] bytes = Files.readAllBytes(original.source());
        long offset = bytes.length / 2;
        bytes[(int) offset] ^= (byte) 0xFF;
        Path dir = Files.createDirectories(workDir.resolve("tampered"));
        Path copy = dir.resolve(satellite + "-" + original.name());
        Files.write(copy, bytes);
        HttpApi api = new HttpApi(URI.create(groundApi), Transfers.NONE, token);
        String digest = new ServerImages(api).pushFile(copy);
        String name = "tampered-" + step;
        App app = new App(new Metadata(name, tenant, Map.of()), new AppSpec(digest, null, template.runtime(), List.of(),
                Map.of(), template.resources(), null, List.of(), List.of()));
        new Applier(api).toSatellite(satellite, List.of(app));
        return new TamperedImage(satellite, tenant, name, original, digest, offset, at);
    }

    /** Asks ground, as the platform admin, whether the node's refusal reached it, and the node whether it booted. */
    Outcome outcome(String groundApi, String adminToken, boolean booted) {
        HttpApi admin = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken);
        JsonNode event = null, audit = null;
        try {
            for (JsonNode e : admin.get("/api/v1/satellites/" + satellite + "/events?limit=1000").path("items")) {
                if (e.path("subject").asText().equals("App/" + app)) {
                    event = e; // newest first
                    break;
                }
            }
            for (JsonNode e : admin.get("/api/v1/audit" + HttpApi.query("outcome", "denied", "limit", "1000")).path("items")) {
                if (e.path("actor").asText().startsWith("satellite:" + satellite + "/")
                        && e.path("resource").asText().endsWith("/" + app)) {
                    audit = e;
                    break;
                }
            }
        } catch (ServerException e) {
            // ground did not answer: the outcome says nothing reached it
        }
        return new Outcome(event, audit, booted);
    }

    /** The fault's outcome in a sentence. */
    String describe(Outcome o) {
        String what = tenant + "'s " + original.name() + " (signed as " + Digests.shortName(original.digest())
                + ") with byte " + offset + " flipped after signing (now " + Digests.shortName(digest) + "), applied to "
                + satellite + " as App " + app + " at " + TimeText.at(at);
        if (o.booted()) return what + ": BOOTED on board";
        if (!o.refused()) return what + ": no refusal reached ground by the end (the node did not boot it)";
        String reason = o.event().path("message").asText();
        int i = reason.indexOf("not booted: ");
        return what + ": refused on board, nothing booted (" + (i >= 0 ? reason.substring(i) : reason) + "); ground "
                + "received the refusal at " + TimeText.at(Instant.parse(o.event().path("receivedAt").asText()))
                + (o.audit() == null ? "" : ", in its audit log as #" + o.audit().path("seq").asLong());
    }
}
