package io.orchide.twin.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The summary as JSON, for scripts and tests ({@code orchide twin --summary FILE}). */
public final class SummaryJson {
    private SummaryJson() {
    }

    public static ObjectNode of(Summary s) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("scenario", s.scenario()).put("start", s.start().toString()).put("end", s.end().toString())
                .put("speed", s.speed()).put("seed", s.seed()).put("wallSeconds", s.wall().toMillis() / 1000.0);
        o.put("captured", s.captured()).put("dropped", s.dropped()).put("failed", s.failed()).put("pending", s.pending())
                .put("products", s.products()).put("productsAtGround", s.productsAtGround())
                .put("productsOnBoard", s.productsOnBoard()).put("sceneBytes", s.sceneBytes())
                .put("productBytesAtGround", s.productBytesAtGround()).put("lost", s.lost())
                .put("doubledAtGround", s.doubledAtGround());
        ArrayNode sats = o.putArray("satellites");
        for (SatelliteSummary x : s.satellites()) {
            ObjectNode n = sats.addObject();
            n.put("name", x.name()).put("contacts", x.contacts()).put("contactSeconds", x.contactTime().toSeconds())
                    .put("captured", x.captured()).put("succeeded", x.succeeded()).put("failed", x.failed())
                    .put("pending", x.pending()).put("products", x.products()).put("dropped", x.dropped())
                    .put("productsAtGround", x.productsAtGround()).put("productsOnBoard", x.productsOnBoard())
                    .put("sceneBytes", x.sceneBytes()).put("productBytesAtGround", x.productBytesAtGround())
                    .put("bytesUp", x.bytesUp()).put("bytesDown", x.bytesDown())
                    .put("bundlesUp", x.bundlesUp()).put("bundlesDown", x.bundlesDown()).put("lost", x.lost());
        }
        ArrayNode scenes = o.putArray("scenes");
        for (SceneOutcome x : s.scenes()) {
            ObjectNode n = scenes.addObject();
            n.put("satellite", x.satellite()).put("scene", x.scene()).put("sceneSha256", x.sceneSha256())
                    .put("run", x.run()).put("state", x.state()).put("attempts", x.attempts())
                    .put("interrupted", x.interrupted()).put("failedAttempts", x.failedAttempts())
                    .put("product", x.product()).put("productSha256", x.productSha256()).put("where", x.where())
                    .put("message", x.message());
        }
        ArrayNode faults = o.putArray("faults");
        for (FaultOutcome x : s.faults()) {
            ObjectNode n = faults.addObject().put("kind", x.fault().kind().toString()).put("satellite", x.fault().satellite())
                    .put("at", x.fault().at().toString()).put("coped", x.coped());
            if (x.fault().replica() != null) n.put("replica", x.fault().replica());
        }
        ArrayNode tenants = o.putArray("tenants");
        for (TenantSummary t : s.tenants()) {
            ObjectNode n = tenants.addObject().put("name", t.name()).put("quota", t.quota());
            t.pipelines().forEach(n.putArray("pipelines")::add);
            n.put("runs", t.runs()).put("succeeded", t.succeeded()).put("failed", t.failed())
                    .put("productsAtGround", t.productsAtGround()).put("productBytesAtGround", t.productBytesAtGround())
                    .put("productsOnBoard", t.productsOnBoard());
        }
        CrossTenantAttempt a = s.crossTenant();
        if (a != null) {
            ObjectNode n = o.putObject("crossTenantAttempt").put("intruder", a.intruder()).put("principal", a.principal())
                    .put("victim", a.victim()).put("target", a.target()).put("satellite", a.satellite())
                    .put("status", a.status()).put("code", a.code()).put("message", a.message())
                    .put("refused", a.refused());
            if (a.audit() == null) n.putNull("audit");
            else n.putObject("audit").put("seq", a.audit().seq()).put("time", a.audit().time());
        }
        QuotaAttempt q = s.quotaAttempt();
        if (q != null) {
            o.putObject("quotaAttempt").put("tenant", q.tenant()).put("target", q.target()).put("satellite", q.satellite())
                    .put("status", q.status()).put("code", q.code()).put("message", q.message()).put("refused", q.refused());
        }
        TrustSummary t = s.trust();
        if (t != null) {
            ObjectNode n = o.putObject("trust").put("rootVersion", t.rootVersion()).put("threshold", t.threshold())
                    .put("rootKeys", t.rootKeys()).put("directorVersion", t.directorVersion())
                    .put("groundKeyNamed", t.groundKeyNamed()).put("imagesSigned", t.imagesSigned())
                    .put("everyNodeVerified", t.everyNodeVerified());
            t.delegatedTenants().forEach(n.putArray("delegatedTenants")::add);
            ArrayNode nodes = n.putArray("nodes");
            for (TrustSummary.Node x : t.nodes()) {
                nodes.addObject().put("satellite", x.satellite()).put("rootPinned", x.rootPinned())
                        .put("groundKeyPinned", x.groundKeyPinned()).put("imagesVerified", x.imagesVerified());
            }
        }
        InferenceSummary inf = s.inference();
        if (inf != null) {
            ObjectNode n = o.putObject("inference");
            ArrayNode models = n.putArray("models");
            for (InferenceSummary.Allowed m : inf.models()) {
                models.addObject().put("satellite", m.satellite()).put("name", m.name()).put("tenant", m.tenant())
                        .put("version", m.version()).put("digest", m.digest()).put("signedBy", m.signedBy())
                        .put("held", m.held()).put("present", m.present()).put("loaded", m.loaded());
            }
            ArrayNode uses = n.putArray("uses");
            for (InferenceSummary.Use u : inf.uses()) {
                ObjectNode x = uses.addObject().put("satellite", u.satellite()).put("tenant", u.tenant())
                        .put("pipeline", u.pipeline());
                u.models().forEach(x.putArray("models")::add);
                x.put("refused", u.refused()).put("runs", u.runs()).put("answered", u.answered())
                        .put("brokerRefused", u.brokerRefused()).put("lastBrokerRefusal", u.lastBrokerRefusal());
            }
        }
        ArrayNode hk = o.putArray("housekeeping");
        for (HousekeepingSummary h : s.housekeeping()) {
            ObjectNode n = hk.addObject().put("satellite", h.satellite()).put("series", h.series())
                    .put("samples", h.samples()).put("bytes", h.bytes()).put("budgetPerDay", h.budgetPerDay())
                    .put("budgetSet", h.budgetSet()).put("allowedBytes", h.allowedBytes());
            ArrayNode gaps = n.putArray("gaps");
            h.gaps().forEach(g -> gaps.addObject().put("from", g.from().toString()).put("to", g.to().toString()));
        }
        ObjectNode ground = o.putObject("ground");
        ground.put("replicas", s.ground().replicas()).put("database", s.ground().database().toString());
        ArrayNode events = ground.putArray("events");
        for (GroundEvent e : s.groundEvents()) {
            ObjectNode n = events.addObject().put("at", e.at().toString()).put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("replica", e.replica()).put("state", e.state());
            if (e.satellite() != null) n.put("satellite", e.satellite());
        }
        return o;
    }
}
