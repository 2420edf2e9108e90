package io.orchide.ground.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.trust.GroundTrust;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import io.orchide.model.Metadata;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;

/**
 * The operator's chain of trust on ground: {@code POST /api/v1/trust} takes a root metadata document or a delegation
 * (platform admins only: {@code create} on {@code trust}), {@code GET /api/v1/trust} lists the root's versions and
 * each tenant's newest delegation, and {@code POST /api/v1/images/{digest}/signatures} keeps a tenant's signature of
 * an image it pushed, refusing one whose key the root does not delegate to that tenant. Signed documents travel to
 * the satellites with the desired state that names them; nodes verify them again.
 */
public final class TrustApi {
    private final GroundTrust trust;
    private final Access access;
    private final AuthStore owners;

    public TrustApi(GroundTrust trust, Access access, AuthStore owners) {
        this.trust = trust;
        this.access = access;
        this.owners = owners;
    }

    public void register(ApiServer s) {
        s.route("POST", "/api/v1/trust", (ex, m) -> put(ex))
                .route("GET", "/api/v1/trust", (ex, m) -> list(ex))
                .route("POST", "/api/v1/images/(sha256:[0-9a-f]{64})/signatures", (ex, m) -> sign(ex, m.group(1)));
    }

    private void put(HttpExchange ex) throws IOException {
        access.require(ex, Verb.CREATE, Resource.TRUST, null, null);
        SignedDocument d = document(ex);
        GroundTrust.Accepted a;
        try {
            a = trust.put(d);
        } catch (TrustException e) {
            throw GroundApi.invalid("body", e.what(), e.getMessage());
        }
        ObjectNode o = Exchange.JSON.objectNode().put("type", a.type()).put("subject", a.subject())
                .put("version", a.version()).put("result", a.unchanged() ? "unchanged" : "accepted");
        Exchange.send(ex, a.unchanged() ? 200 : 201, o);
    }

    private void list(HttpExchange ex) throws IOException {
        access.require(ex, Verb.LIST, Resource.TRUST, null, null);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (String d : trust.documents()) {
            try {
                a.add(SignedDocument.parse(d, "stored document").toTree());
            } catch (TrustException e) {
                throw new ApiException(500, "internal", e.getMessage());
            }
        }
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    /**
     * The tenant is that of {@code ?tenant=}, else the caller's only tenant, else {@code default} (as for a push); the
     * tenant must hold the image.
     */
    private void sign(HttpExchange ex, String digest) throws IOException {
        String tenant = Exchange.query(ex).get("tenant");
        Caller caller = Access.caller(ex);
        if (tenant == null || tenant.isEmpty()) tenant = caller.onlyTenant();
        if (tenant == null) tenant = Metadata.DEFAULT_TENANT;
        access.require(ex, Verb.CREATE, Resource.IMAGES, tenant, digest);
        if (!owners.imageOwnedBy(digest, tenant))
            throw new ApiException(404, "not_found", "tenant " + tenant + " holds no image " + digest
                    + "; push it first (orchide image push FILE)");
        ImageStatement s;
        try {
            s = trust.signImage(tenant, digest, document(ex));
        } catch (TrustException e) {
            throw GroundApi.invalid("body", e.what(), e.getMessage());
        }
        Exchange.send(ex, 201, Exchange.JSON.objectNode().put("digest", s.digest()).put("tenant", s.tenant())
                .put("name", s.name()));
    }

    private static SignedDocument document(HttpExchange ex) throws IOException {
        try {
            return SignedDocument.parse(Exchange.body(ex), "body");
        } catch (TrustException e) {
            throw GroundApi.invalid("body", null, e.getMessage());
        }
    }
}
