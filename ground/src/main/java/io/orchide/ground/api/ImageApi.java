package io.orchide.ground.api;

import io.orchide.model.Manifest;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.image.Images;
import io.orchide.ground.quota.QuotaExceeded;
import io.orchide.ground.quota.Quotas;
import io.orchide.image.Digests;
import io.orchide.model.tenant.Quota;
import io.orchide.model.Metadata;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.ContentRef;
import io.orchide.model.ManifestException;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Ground's images: {@code POST /api/v1/images} (the bytes; stored as content-defined chunks, named by digest),
 * {@code GET /api/v1/images}, {@code GET /api/v1/satellites/{sat}/images} (chunks sent to and held by it), and the
 * uplink of the images an applied App or Pipeline names by content, and of the file an applied Model names.
 */
final class ImageApi {
    private final Images images;
    private final Access access;
    private final AuthStore owners;
    private final Quotas quotas;

    ImageApi(Images images, Access access, AuthStore owners, Quotas quotas) {
        this.images = images;
        this.access = access;
        this.owners = owners;
        this.quotas = quotas;
    }

    void register(ApiServer s, String satellitePath) {
        s.route("POST", "/api/v1/images", (ex, m) -> push(ex))
                .route("GET", "/api/v1/images", (ex, m) -> list(ex))
                .route("GET", satellitePath + "/images", (ex, m) -> ofSatellite(ex, GroundApi.sat(m.group(1))));
    }

    /** An image a document names by content, and the tenant of that document. */
    record Named(String tenant, String digest) {
    }

    /**
     * The images the documents name by content (an App's image and initrd, those of a Pipeline's step templates),
     * each once, refusing one ground does not have, or that the document's tenant did not push (answered alike:
     * nobody learns which images other tenants have). A fleet-wide image pusher (platform admin) may name any image.
     */
    List<Named> named(HttpExchange ex, List<Manifest> docs) {
        boolean anyImage = Access.caller(ex).scope(Verb.CREATE, Resource.IMAGES).fleet();
        Set<Named> out = new LinkedHashSet<>();
        for (int i = 0; i < docs.size(); i++) {
            String prefix = docs.size() == 1 ? "" : "[" + i + "].";
            String tenant = docs.get(i).metadata().tenant();
            for (String[] f : contentRefs(docs.get(i))) {
                if (!ContentRef.looksLikeOne(f[1])) continue;
                if (images.find(f[1]).isEmpty() || !(anyImage || owners.imageOwnedBy(f[1], tenant))) {
                    throw GroundApi.invalid(prefix + f[0], f[1], "no such image on ground; push it first (orchide image push FILE)");
                }
                out.add(new Named(tenant, f[1]));
            }
        }
        return List.copyOf(out);
    }

    /** Bytes that sending {@code named} to {@code sat} would take now, by tenant (an image the satellite has costs nothing). */
    Map<String, Long> uplinkCost(String sat, List<Named> named) {
        Map<String, Long> out = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Named n : named) {
            if (!seen.add(n.digest())) continue;
            try {
                out.merge(n.tenant(), images.uplinkBytes(sat, n.digest()), Long::sum);
            } catch (ManifestException e) {
                throw unreadable(n.digest(), e);
            }
        }
        return out;
    }

    /** Queues for {@code sat} what it lacks of {@code named}; the bytes queued, by tenant. */
    Map<String, Long> uplink(String sat, List<Named> named) {
        Map<String, Long> out = new HashMap<>();
        for (Named n : named) {
            try {
                Images.UplinkPlan p = images.uplink(sat, n.digest());
                out.merge(n.tenant(), p.chunkBytes() + p.manifestBytes(), Long::sum);
            } catch (ManifestException e) {
                throw unreadable(n.digest(), e);
            }
        }
        return out;
    }

    private static ApiException unreadable(String digest, ManifestException e) {
        return new ApiException(500, "internal", "stored manifest of " + digest + " unreadable: " + e.getMessage());
    }

    /** The image fields of a document, as {field path, value} pairs. */
    private static List<String[]> contentRefs(Manifest doc) {
        List<String[]> out = new ArrayList<>();
        switch (doc) {
            case App app -> {
                out.add(new String[]{"spec.image", app.spec().image()});
                out.add(new String[]{"spec.initrd", app.spec().initrd()});
            }
            case Pipeline p -> {
                List<Step> steps = p.spec().steps();
                for (int i = 0; i < steps.size(); i++) {
                    AppSpec t = steps.get(i).template();
                    if (t == null) continue;
                    out.add(new String[]{"spec.steps[" + i + "].template.image", t.image()});
                    out.add(new String[]{"spec.steps[" + i + "].template.initrd", t.initrd()});
                }
            }
            case io.orchide.model.Dataset d -> { } // names no image
            case io.orchide.model.Secret s -> { } // names no image
            case io.orchide.model.DeviceGrant g -> { } // names no image
            // its file: sent ahead of the Model, which the node applies once the file is whole
            case io.orchide.model.Model m -> out.add(new String[]{"spec.digest", m.spec().digest()});
        }
        return out;
    }

    /**
     * Stores the image for the tenant of {@code ?tenant=}, else the caller's only tenant, else {@code default}; the
     * same bytes pushed by several tenants are stored once and belong to each, and count once against each one's
     * image bytes. An image over the tenant's image bytes is refused before it is stored.
     */
    private void push(HttpExchange ex) throws IOException {
        String tenant = Exchange.query(ex).get("tenant");
        if (tenant == null || tenant.isEmpty()) tenant = Access.caller(ex).onlyTenant();
        if (tenant == null) tenant = Metadata.DEFAULT_TENANT;
        access.require(ex, Verb.CREATE, Resource.IMAGES, tenant, null);
        Path spool = null;
        String digest = null;
        try (InputStream body = ex.getRequestBody()) {
            InputStream in = body;
            Quota q = quotas.quota(tenant);
            if (q != null && q.imageBytes() != null) {
                // the image's digest and size decide whether it fits (one the tenant holds costs nothing): known only
                // once read, and checked before anything is stored
                spool = Files.createTempFile("orchide-push", ".img");
                MessageDigest sha = Digests.newSha256();
                long size;
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), sha)) {
                    size = body.transferTo(out);
                }
                digest = Digests.of(sha.digest());
                quotas.precheckImage(tenant, digest, size);
                in = Files.newInputStream(spool);
            }
            Images.StoredImage img;
            try (InputStream from = in) {
                img = images.push(from);
            }
            digest = img.digest();
            quotas.ownImage(tenant, img.digest(), img.size());
            Exchange.send(ex, 201, view(img).put("tenant", tenant));
        } catch (QuotaExceeded e) {
            throw QuotaRefusal.of(ex, access, e, Verb.CREATE, Resource.IMAGES, digest);
        } finally {
            if (spool != null) Files.deleteIfExists(spool);
        }
    }

    private void list(HttpExchange ex) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.IMAGES);
        Map<String, Set<String>> tenants = scope.fleet() ? Map.of() : owners.imageTenants();
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Images.StoredImage i : images.list()) {
            if (!scope.fleet() && tenants.getOrDefault(i.digest(), Set.of()).stream().noneMatch(scope::includes)) continue;
            a.add(view(i));
        }
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    private void ofSatellite(HttpExchange ex, String sat) throws IOException {
        access.require(ex, Verb.GET, Resource.SATELLITES, null, sat);
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        Images.ChunkCounts n = images.chunkCounts(sat);
        o.put("chunksSent", n.sent()).put("chunksHeld", n.held()).put("chunksInFlight", n.inFlight());
        Exchange.send(ex, 200, o);
    }

    private static ObjectNode view(Images.StoredImage i) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("digest", i.digest()).put("size", i.size()).put("chunks", i.chunks());
        GroundApi.putInstant(o, "created", i.created());
        return o;
    }
}
