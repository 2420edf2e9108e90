package io.orchide.twin.run;

import io.orchide.client.ContentReferences;
import io.orchide.client.ImagePusher;
import io.orchide.client.ManifestFiles;
import io.orchide.client.ServerImages;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.Transfers;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.SignedDocument;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Signs a tenant's images as {@code orchide image push --sign-with KEY} does, before its manifests are applied: every
 * image a manifest file names as a file or a root filesystem directory here is pushed to ground as that tenant, its
 * digest signed with the key the root delegated to the tenant ({@code POST /api/v1/images/DIGEST/signatures}, which
 * ground keeps only if the root delegates the key to that tenant), and the manifests name it by that digest: once
 * pushed, they go to every satellite as they are. Keeps what ground accepted, for the summary.
 */
final class ImageSigner {
    /** An image signature ground accepted: the tenant's, for {@code digest}, of the file or tree {@code source}. */
    record Signed(String tenant, String name, String digest, Path source) {
    }

    private final TrustRig trust;
    private final Set<Signed> signed = new LinkedHashSet<>();

    ImageSigner(TrustRig trust) {
        this.trust = trust;
    }

    /**
     * The manifests of {@code manifestFile} with every local image they name pushed to ground as {@code tenant} (the
     * bearer of {@code token}), signed with the tenant's delegated key, and named by its digest. A tenant the root
     * delegates no key to pushes its images unsigned.
     *
     * @throws IllegalArgumentException naming the file and every error when a manifest in it is rejected
     */
    synchronized List<Manifest> byContent(String groundApi, String token, String tenant, Path manifestFile) {
        KeyPair key = trust.signer(tenant);
        HttpApi api = new HttpApi(URI.create(groundApi), Transfers.NONE, token);
        ServerImages images = new ServerImages(api);
        ContentReferences refs = new ContentReferences(key == null ? images : new ImagePusher() {
            @Override
            public String pushFile(Path file) {
                return signed(api, tenant, key, file, images.pushFile(file));
            }

            @Override
            public String pushTree(Path dir) {
                return signed(api, tenant, key, dir, images.pushTree(dir));
            }
        });
        try {
            return ManifestFiles.read(manifestFile).stream().map(refs::byContent).toList();
        } catch (ManifestException e) {
            throw new IllegalArgumentException(manifestFile + ": manifest rejected: " + e.errors().stream()
                    .map(Object::toString).collect(java.util.stream.Collectors.joining("; ")), e);
        }
    }

    /**
     * Pushes {@code file} (a model's, which no manifest names as a path) to ground as {@code tenant}, the bearer of
     * {@code token}, and signs its digest with the tenant's delegated key; returns the digest.
     */
    synchronized String pushFile(String groundApi, String token, String tenant, Path file) {
        KeyPair key = trust.signer(tenant);
        HttpApi api = new HttpApi(URI.create(groundApi), Transfers.NONE, token);
        String digest = new ServerImages(api).pushFile(file);
        return key == null ? digest : signed(api, tenant, key, file, digest);
    }

    private String signed(HttpApi api, String tenant, KeyPair key, Path source, String digest) {
        String name = source.getFileName().toString();
        SignedDocument d = new ImageStatement(tenant, name, digest).unsigned().sign(key.getPrivate(), key.getPublic());
        api.post("/api/v1/images/" + digest + "/signatures?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8),
                d.toJson());
        signed.add(new Signed(tenant, name, digest, source.toAbsolutePath().normalize()));
        return digest;
    }

    /** Every signature ground accepted, in order. */
    synchronized List<Signed> signed() {
        return new ArrayList<>(signed);
    }
}
