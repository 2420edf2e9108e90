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

import io.orchide.model.FieldError;

import java.io.IOException;
import java.util.List;

/**
 * The operator's chain of trust on ground: {@code POST /api/v1/trust} takes a root metadata document or a delegation
 * (platform admins only: {@code create} on {@code trust}), {@code GET /api/v1/trust} lists the root's versions and
 * each tenant's newest delegation, and {@code POST /api/v1/images/{digest}/signatures} keeps a tenant's signature of
 * an image it pushed, refusing one whose key the root does not delegate to that tenant. Signed documents travel to
 * the satellites with the desired state that names them; nodes verify them again.
 */
public final class TrustApi {
    /** The query flag that lets director keys leave out ground's own key (a hand-over to another ground key). */
    public static final String ALLOW_FOREIGN_DIRECTOR = "allowForeignDirector";
    private static final String DIRECTOR = "director";

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

    /**
     * Director keys that leave out ground's own key are refused with 409 {@code own_key_left_out} naming
     * {@code keys} and that key (and audited as denied), unless {@code ?allowForeignDirector=true} asks for a planned
     * hand-over to another ground key, which is audited with the key handed over.
     */
    private void put(HttpExchange ex) throws IOException {
        access.require(ex, Verb.CREATE, Resource.TRUST, null, null);
        boolean foreign = allowForeignDirector(ex);
        SignedDocument d = document(ex);
        GroundTrust.Accepted a;
        try {
            a = trust.put(d, foreign);
        } catch (TrustException e) {
            throw GroundApi.invalid("body", e.what(), e.getMessage());
        } catch (GroundTrust.OwnKeyLeftOut e) {
            access.refused(ex, Verb.CREATE, Resource.TRUST, null, DIRECTOR, "own_key_left_out: " + e.getMessage());
            throw new ApiException(409, "own_key_left_out", "keys: " + e.getMessage(),
                    List.of(new FieldError("keys", e.key(), e.getMessage())));
        }
        if (a.handedOver() != null && !a.unchanged())
            access.noted(ex, Verb.CREATE, Resource.TRUST, null, DIRECTOR, "director keys version " + a.version()
                    + " taken without this ground's key " + a.handedOver() + " (allowForeignDirector): a hand-over to "
                    + "another ground key");
        ObjectNode o = Exchange.JSON.objectNode().put("type", a.type()).put("subject", a.subject())
                .put("version", a.version()).put("result", a.unchanged() ? "unchanged" : "accepted");
        if (a.handedOver() != null) o.put("handedOver", a.handedOver());
        Exchange.send(ex, a.unchanged() ? 200 : 201, o);
    }

    private static boolean allowForeignDirector(HttpExchange ex) {
        String v = Exchange.query(ex).get(ALLOW_FOREIGN_DIRECTOR);
        if (v == null || v.equals("false")) return false;
        if (v.equals("true") || v.isEmpty()) return true;
        throw GroundApi.invalid(ALLOW_FOREIGN_DIRECTOR, v, "must be true or false");
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
