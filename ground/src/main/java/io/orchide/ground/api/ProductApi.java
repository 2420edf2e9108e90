package io.orchide.ground.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.product.ProductOwner;
import io.orchide.ground.product.ProductRecord;
import io.orchide.ground.product.Products;
import io.orchide.model.FieldError;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.orchide.ground.api.GroundApi.FILTERED_READ;
import static io.orchide.ground.api.GroundApi.invalid;
import static io.orchide.ground.api.GroundApi.jsonOr;
import static io.orchide.ground.api.GroundApi.putInstant;
import static io.orchide.ground.api.GroundApi.sat;

/**
 * Products brought down from satellites: {@code GET /api/v1/products}, {@code /api/v1/products/{id}} and its
 * {@code /content}, {@code DELETE /api/v1/products/{id}}. A product belongs to the tenant of the pipeline its lineage names; another tenant's is answered
 * as a missing one.
 */
final class ProductApi {
    private final Products products;
    private final DesiredState desired;
    private final Access access;

    ProductApi(Products products, DesiredState desired, Access access) {
        this.products = products;
        this.desired = desired;
        this.access = access;
    }

    void register(ApiServer s, String seg) {
        s.route("GET", "/api/v1/products", (ex, m) -> products(ex))
                .route("GET", "/api/v1/products/" + seg, (ex, m) -> product(ex, productId(m.group(1))))
                .route("GET", "/api/v1/products/" + seg + "/content", (ex, m) -> content(ex, productId(m.group(1))))
                .route("DELETE", "/api/v1/products/" + seg, (ex, m) -> delete(ex, productId(m.group(1))));
    }

    private void products(HttpExchange ex) throws IOException {
        var q = Exchange.query(ex);
        String sat = q.get("satellite");
        if (sat != null && sat.isEmpty()) sat = null;
        if (sat != null) sat = sat(sat);
        String run = q.get("run");
        if (run != null && run.isEmpty()) run = null;
        int limit = Exchange.intParam(q, "limit", 100, 1, 10_000);
        Caller.Scope scope = access.listScope(ex, Resource.PRODUCTS);
        Map<String, Owners> owners = new HashMap<>();
        ArrayNode a = Exchange.JSON.arrayNode();
        for (ProductRecord p : products.list(sat, run, scope.fleet() ? limit : FILTERED_READ)) {
            if (!scope.fleet() && !scope.includes(owner(p, owners))) continue;
            if (a.size() == limit) break;
            a.add(productView(p));
        }
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void product(HttpExchange ex, long id) throws IOException {
        Exchange.send(ex, 200, productView(found(ex, id)));
    }

    private void content(HttpExchange ex, long id) throws IOException {
        ProductRecord p = found(ex, id);
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + p.name().replace("\"", "") + "\"");
        ex.getResponseHeaders().set("Digest", "sha-256=" + p.sha256());
        ex.sendResponseHeaders(200, p.size() == 0 ? -1 : p.size());
        try (OutputStream out = ex.getResponseBody()) {
            products.copyContent(id, out);
        }
    }

    /**
     * Removes a product kept on ground (once downloaded, or to bring its tenant back under its product bytes); one
     * the caller may not read is answered as a missing one, and the attempt is in the audit log.
     */
    private void delete(HttpExchange ex, long id) throws IOException {
        ProductRecord p = found(ex, id);
        access.require(ex, Verb.DELETE, Resource.PRODUCTS, owner(p, new HashMap<>()), Long.toString(id));
        if (!products.delete(id)) throw notFound(id);
        Exchange.send(ex, 200, productView(p).put("deleted", true));
    }

    private static ApiException notFound(long id) {
        return new ApiException(404, "not_found", "no product " + id,
                List.of(new FieldError("id", Long.toString(id), "no such product")));
    }

    /** Product {@code id} if the caller may read it; another tenant's is answered as a missing one. */
    private ProductRecord found(HttpExchange ex, long id) {
        ApiException missing = notFound(id);
        ProductRecord p = products.get(id).orElseThrow(() -> missing);
        if (!access.may(ex, Verb.GET, Resource.PRODUCTS, owner(p, new HashMap<>()), Long.toString(id))) throw missing;
        return p;
    }

    /** The tenant of a product: its pipeline's (from its lineage) on its satellite; null when nothing says. */
    private String owner(ProductRecord p, Map<String, Owners> bySatellite) {
        String pipeline = ProductOwner.pipeline(p.lineage());
        if (pipeline == null) return null;
        return bySatellite.computeIfAbsent(p.satellite(), s -> Owners.of(desired, s)).pipeline(pipeline);
    }

    private ObjectNode productView(ProductRecord p) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("id", p.id()).put("satellite", p.satellite()).put("nodeProductId", p.nodeProductId())
                .put("run", p.run()).put("step", p.step());
        if (p.item() != null) o.put("item", p.item());
        o.put("name", p.name()).put("size", p.size()).put("sha256", p.sha256()).put("priority", p.priority());
        putInstant(o, "created", p.created());
        putInstant(o, "expires", p.expires());
        putInstant(o, "received", p.received());
        o.set("lineage", p.lineage() == null ? Exchange.JSON.nullNode() : jsonOr(p.lineage()));
        o.put("bundle", p.bundleId());
        o.put("content", "/api/v1/products/" + p.id() + "/content");
        return o;
    }

    private static long productId(String s) {
        try {
            long id = Long.parseLong(s);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid("id", s, "must be a product id (a positive integer)");
    }
}
