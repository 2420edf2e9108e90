package io.orchide.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.link.DialStatus;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkStats;
import io.orchide.model.FieldError;
import io.orchide.node.NodeConfig;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.util.List;

/**
 * The node's link to ground, from outside: {@code GET /api/v1/link} (satellite, ground's addresses and the one in use,
 * contact state, queues) and {@code POST /api/v1/link {"open": true|false}} to open or close the contact (the twin drives this
 * from its contact plan; an operator can cut the link by hand). The link is up before the API starts.
 */
public final class LinkApi {
    private final LinkEndpoint endpoint;
    private final NodeConfig.GroundSettings settings;

    public LinkApi(LinkEndpoint endpoint, NodeConfig.GroundSettings settings) {
        this.endpoint = endpoint;
        this.settings = settings;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/link", (ex, m) -> Exchange.send(ex, 200, view()))
                .route("POST", "/api/v1/link", (ex, m) -> set(ex));
    }

    private void set(HttpExchange ex) throws Exception {
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode open = body.get("open");
        if (open == null || !open.isBoolean()) {
            throw new ApiException(400, "invalid", "open must be true or false", List.of(
                    new FieldError("open", open == null ? null : open.toString(), "must be true or false")));
        }
        if (open.booleanValue()) endpoint.openContact();
        else endpoint.closeContact();
        Exchange.send(ex, 200, view());
    }

    private ObjectNode view() {
        LinkEndpoint e = endpoint;
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("satellite", settings.satellite());
        o.put("node", settings.nodeName());
        o.put("ground", settings.address());
        DialStatus d = e.dialStatus();
        if (d != null) {
            // which of ground's addresses the node is on (or trying), so that an operator sees a failover
            ObjectNode dial = o.putObject("dial");
            dial.put("current", d.current());
            dial.put("connected", d.connected());
            dial.put("lastFailure", d.lastFailure());
            dial.put("nextAttempt", d.nextAttempt() == null ? null : d.nextAttempt().toString());
        }
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
            // why the last session ended: "dead: nothing received from ground for ..." when ground fell silent
            if (st.lastSessionEnd() != null) p.put("lastSessionEnd", st.lastSessionEnd());
        }
        return o;
    }
}
