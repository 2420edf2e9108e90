package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.fleet.NodeKeys;
import io.orchide.link.LinkException;
import io.orchide.link.secure.KeyFiles;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Satellites and the node keys the link accepts from them: {@code POST /api/v1/satellites} ({@code name} and
 * {@code nodeKeys}, PEM public keys) creates a satellite with its keys, {@code POST .../keys} adds one,
 * {@code GET .../keys} lists them, {@code DELETE .../keys/FINGERPRINT} revokes one (the next contact with it is
 * refused). Fleet-wide: creating needs {@code create} on satellites, adding and revoking {@code update} (operators and
 * platform admins); every decision is audited by the access gate.
 */
public final class NodeKeyApi {
    private static final String SAT = "/api/v1/satellites/([^/]+)";

    private final NodeKeys keys;
    private final Access access;

    public NodeKeyApi(NodeKeys keys, Access access) {
        this.keys = keys;
        this.access = access;
    }

    public void register(ApiServer s) {
        s.route("POST", "/api/v1/satellites", (ex, m) -> create(ex))
                .route("GET", SAT + "/keys", (ex, m) -> list(ex, GroundApi.sat(m.group(1))))
                .route("POST", SAT + "/keys", (ex, m) -> add(ex, GroundApi.sat(m.group(1))))
                .route("DELETE", SAT + "/keys/([^/]+)", (ex, m) -> revoke(ex, GroundApi.sat(m.group(1)), m.group(2)));
    }

    private void create(HttpExchange ex) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        String name = GroundApi.sat(body.path("name").asText(""));
        access.require(ex, Verb.CREATE, Resource.SATELLITES, null, name);
        JsonNode given = body.path("nodeKeys");
        if (!given.isArray() || given.isEmpty())
            throw GroundApi.invalid("nodeKeys", given.isMissingNode() ? null : given.toString(),
                    "is required: the PEM public key(s) of the satellite's node(s) (orchide node init makes them)");
        List<PublicKey> parsed = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) parsed.add(key("nodeKeys[" + i + "]", given.get(i)));
        for (PublicKey k : parsed) register(name, k, ex);
        Exchange.send(ex, 201, view(name));
    }

    private void add(HttpExchange ex, String sat) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        access.require(ex, Verb.UPDATE, Resource.SATELLITES, null, sat);
        register(sat, key("nodeKey", body.path("nodeKey")), ex);
        Exchange.send(ex, 201, view(sat));
    }

    private void list(HttpExchange ex, String sat) throws IOException {
        access.require(ex, Verb.GET, Resource.SATELLITES, null, sat);
        Exchange.send(ex, 200, view(sat));
    }

    private void revoke(HttpExchange ex, String sat, String fingerprint) throws IOException {
        access.require(ex, Verb.UPDATE, Resource.SATELLITES, null, sat);
        if (!keys.revoke(sat, fingerprint, Access.caller(ex).id()))
            throw new ApiException(404, "not_found", "satellite " + sat + " has no active key " + fingerprint);
        Exchange.send(ex, 200, view(sat));
    }

    private void register(String sat, PublicKey k, HttpExchange ex) {
        try {
            keys.register(sat, k, Access.caller(ex).id());
        } catch (NodeKeys.KeyRevoked e) {
            throw new ApiException(409, "revoked", e.getMessage());
        }
    }

    private static PublicKey key(String field, JsonNode v) {
        if (!v.isTextual()) throw GroundApi.invalid(field, v.isMissingNode() ? null : v.toString(), "must be a PEM public key");
        try {
            return KeyFiles.parsePublic(v.asText(), field);
        } catch (LinkException e) {
            String text = v.asText();
            throw GroundApi.invalid(field, text.length() > 80 ? text.substring(0, 80) + "..." : text, e.getMessage());
        }
    }

    private ObjectNode view(String sat) {
        ObjectNode o = Exchange.JSON.objectNode().put("name", sat);
        ArrayNode a = o.putArray("nodeKeys");
        for (NodeKeys.NodeKey k : keys.of(sat)) {
            ObjectNode n = a.addObject().put("fingerprint", k.fingerprint()).put("added", k.added().toString())
                    .put("state", k.active() ? "active" : "revoked");
            if (k.addedBy() != null) n.put("addedBy", k.addedBy());
            if (k.revoked() != null) n.put("revoked", k.revoked().toString());
        }
        return o;
    }
}
