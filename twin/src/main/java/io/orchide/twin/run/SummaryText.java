package io.orchide.twin.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The summary as the terminal shows it at the end of a scenario. */
public final class SummaryText {
    private SummaryText() {
    }

    public static List<String> lines(Summary s) {
        List<String> out = new ArrayList<>();
        out.add("== summary of " + s.scenario() + ": " + TimeText.at(s.start()) + " to " + TimeText.at(s.end())
                + " simulated in " + TimeText.span(s.wall()) + " (" + fmt(s.speed()) + "x, seed " + s.seed() + ")");
        for (SatelliteSummary sat : s.satellites()) {
            out.add(String.format(Locale.ROOT, "  %s: %d passes (%s), %d scenes captured: %d processed (%d products, %d dropped as cloudy), "
                            + "%d failed, %d waiting; products %d at ground, %d on board; link up %d bundle(s) (%s), down %d (%s)",
                    sat.name(), sat.contacts(), TimeText.span(sat.contactTime()), sat.captured(), sat.succeeded(),
                    sat.products(), sat.dropped(), sat.failed(), sat.pending(), sat.productsAtGround(),
                    sat.productsOnBoard(), sat.bundlesUp(), TimeText.bytes(sat.bytesUp()), sat.bundlesDown(),
                    TimeText.bytes(sat.bytesDown())));
        }
        long raw = s.sceneBytes();
        long sent = s.productBytesAtGround();
        out.add(String.format(Locale.ROOT, "  scenes %d, dropped %d, failed %d, products downlinked %d (%d more wait on board)",
                s.captured(), s.dropped(), s.failed(), s.productsAtGround(), s.productsOnBoard()));
        if (raw > 0) {
            out.add(String.format(Locale.ROOT, "  bytes: %s of raw scenes captured, %s of products downlinked: %s (%.1f %%) saved",
                    TimeText.bytes(raw), TimeText.bytes(sent), TimeText.bytes(raw - sent), 100.0 * (raw - sent) / raw));
        }
        if (s.trust() != null) out.add("  " + trust(s.trust()));
        for (HousekeepingSummary h : s.housekeeping()) out.add("  " + housekeeping(h));
        if (!s.groundEvents().isEmpty()) {
            out.add("  ground: " + s.ground().replicas() + " replica(s) on " + s.ground().database());
        }
        for (TenantSummary t : s.tenants()) {
            out.add(String.format(Locale.ROOT, "  tenant %s (%s): pipeline(s) %s: %d run(s), %d succeeded, %d failed; "
                            + "products %d at ground (%s), %d on board",
                    t.name(), t.quota().isEmpty() ? "no quota" : "quota " + t.quota(),
                    t.pipelines().isEmpty() ? "none" : String.join(", ", t.pipelines()), t.runs(), t.succeeded(),
                    t.failed(), t.productsAtGround(), TimeText.bytes(t.productBytesAtGround()), t.productsOnBoard()));
        }
        if (s.inference() != null) InferenceText.lines(s.inference()).forEach(l -> out.add("  " + l));
        if (s.crossTenant() != null) CrossTenantText.lines(s.crossTenant()).forEach(l -> out.add("  " + l));
        if (s.quotaAttempt() != null) s.quotaAttempt().lines().forEach(l -> out.add("  " + l));
        for (FaultOutcome f : s.faults()) out.add("  fault " + f.fault().describe() + ": " + f.coped());
        for (SatelliteSummary sat : s.satellites()) {
            for (SceneOutcome x : sat.scenes()) {
                if (x.unsettled()) {
                    out.add("  scene " + x.scene() + " of " + x.satellite() + ": run " + x.run() + " " + x.state()
                            + (x.message() == null ? "" : ": " + x.message()));
                }
            }
        }
        if (s.doubledAtGround() > 0) out.add("  DOUBLED: " + s.doubledAtGround() + " product(s) held twice at ground");
        out.add(s.lost() == 0 ? "  lost: nothing" : "  LOST: " + s.lost() + " (see the scenes marked lost)");
        return out;
    }

    /** The chain of trust the scenario ran under, as ground and the nodes said at its end. */
    static String trust(TrustSummary t) {
        String nodes = String.join(", ", t.nodes().stream().map(n -> n.satellite() + " " + (n.imagesVerified() < 0
                ? "did not answer" : n.imagesVerified() + (n.rootPinned() ? "" : " (NO ROOT PINNED)")
                + (n.groundKeyPinned() ? "" : " (ground's key not pinned)"))).toList());
        return "signed: " + t.threshold() + "-of-" + t.rootKeys() + " root (version " + t.rootVersion() + "), keys "
                + "delegated to " + (t.delegatedTenants().isEmpty() ? "no tenant" : String.join(", ", t.delegatedTenants()))
                + ", " + t.imagesSigned() + " image(s) signed; " + sealed(t) + "; "
                + (t.everyNodeVerified() ? "every node pinned the root and ground's key and verified its images before boot ("
                : "NOT every node verified its images (") + nodes + ")";
    }

    /** Who sealed the desired state: ground's key, named by the root as its director or not. */
    private static String sealed(TrustSummary t) {
        if (t.directorVersion() == 0) return "desired state sealed by ground's pinned key (the root names no director)";
        return "desired state sealed by ground's key, " + (t.groundKeyNamed() ? "a director key named by the root"
                : "NOT a director key of the root") + " (director keys version " + t.directorVersion() + ")";
    }

    /** One satellite's housekeeping as ground holds it: series, samples, bytes against the budget, gaps. */
    static String housekeeping(HousekeepingSummary h) {
        String bytes = h.bytes() < 0 ? "its byte count not at ground yet"
                : TimeText.bytes(h.bytes()) + " of housekeeping against the " + TimeText.bytes(h.allowedBytes())
                + " its budget allows in " + TimeText.span(h.span());
        // as an operator writes a budget (orchide set telemetry-budget SAT 2Mi/d)
        String budget = io.orchide.model.tenant.Quota.size(h.budgetPerDay()) + "/d"
                + (h.budgetSet() ? ", set on ground" : ", the nodes' default");
        String gaps = h.gaps().isEmpty() ? "no gap" : h.gaps().size() + " gap(s) (" + String.join(", ", h.gaps().stream()
                .map(g -> TimeText.at(g.from()) + " to " + TimeText.at(g.to())).toList()) + "), never zeros";
        return "housekeeping " + h.satellite() + ": " + h.series() + " series, " + h.samples() + " samples at ground; "
                + bytes + " (" + budget + "); " + gaps;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
