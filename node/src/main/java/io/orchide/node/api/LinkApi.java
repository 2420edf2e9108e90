package io.orchide.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkStats;
import io.orchide.model.FieldError;
import io.orchide.node.link.GroundLink;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The node's link to ground, from outside: {@code GET /api/v1/link} (satellite, ground address, contact state,
 * queues) and {@code POST /api/v1/link {"open": true|false}} to open or close the contact (the twin drives this
 * from its contact plan; an operator can cut the link by hand). A contact opened or closed while the link is still
 * starting is remembered and takes effect when it is up (answer 202).
 */
public final class LinkApi {
    private final Supplier<GroundLink> link;
    private final AtomicReference<Boolean> wanted;

    public LinkApi(Supplier<GroundLink> link, AtomicReference<Boolean> wanted) {
        this.link = link;
        this.wanted = wanted;
    }

    /** Opens or closes {@code g}'s contact as {@code open} says (null: leaves it). */
    public static void apply(GroundLink g, Boolean open) {
        if (g == null || open == null) return;
        if (open) g.endpoint().openContact();
        else g.endpoint().closeContact();
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/link", (ex, m) -> Exchange.send(ex, 200, view(ready())))
                .route("POST", "/api/v1/link", (ex, m) -> set(ex));
    }

    private GroundLink ready() {
        GroundLink g = link.get();
        if (g == null) throw new ApiException(503, "starting", "the link to ground is starting (probing monitors first)");
        return g;
    }

    private void set(HttpExchange ex) throws Exception {
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode open = body.get("open");
        if (open == null || !open.isBoolean()) {
            throw new ApiException(400, "invalid", "open must be true or false", List.of(
                    new FieldError("open", open == null ? null : open.toString(), "must be true or false")));
        }
        wanted.set(open.booleanValue());
        GroundLink g = link.get();
        if (g == null) {
            Exchange.send(ex, 202, Exchange.JSON.objectNode().put("contact", open.booleanValue() ? "open" : "closed")
                    .put("state", "starting").put("message", "the link to ground is starting; the contact will be "
                            + (open.booleanValue() ? "open" : "closed") + " when it is up"));
            return;
        }
        apply(g, open.booleanValue());
        Exchange.send(ex, 200, view(g));
    }

    private static ObjectNode view(GroundLink g) {
        LinkEndpoint e = g.endpoint();
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("satellite", g.settings().satellite());
        o.put("node", g.settings().nodeName());
        o.put("ground", g.settings().address());
        o.put("contact", e.contactOpen() ? "open" : "closed");
        ArrayNode peers = o.putArray("peers");
        for (LinkStats st : e.peers()) {
            ObjectNode p = peers.addObject();
            p.put("peer", st.peer());
            p.put("connected", st.connected());
            p.put("queuedBundles", st.queuedBundles());
            p.put("queuedBytes", st.queuedBytes());
            p.put("partialIncoming", st.partialIncoming());
            p.put("bytesSent", st.bytesSent());
            p.put("bytesReceived", st.bytesReceived());
            p.put("bundlesSent", st.bundlesSent());
            p.put("bundlesReceived", st.bundlesReceived());
            if (st.lastContact() != null) p.put("lastContact", st.lastContact().toString());
        }
        return o;
    }
}
