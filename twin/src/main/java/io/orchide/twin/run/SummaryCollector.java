package io.orchide.twin.run;

import io.orchide.model.message.ProductState;
import io.orchide.node.layout.NodeLayout;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.orbit.Contact;
import io.orchide.twin.plan.Timeline;
import io.orchide.twin.scenario.Fault;
import io.orchide.twin.scenario.Scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out the {@link Summary} at the end of a scenario from what the nodes and ground say (their APIs) and what the
 * twin itself did (scenes captured, faults): every scene is followed to its run and its product, and whatever can be
 * found nowhere, neither on board nor at ground, is counted lost.
 */
final class SummaryCollector {
    private SummaryCollector() {
    }

    static Summary collect(Scenario s, Timeline timeline, List<SatelliteRig> rigs, GroundRig ground, FaultLog faults,
                           List<GroundEvent> groundEvents, List<TenantAccess.Member> tenants,
                           CrossTenantAttempt crossTenant, QuotaAttempt quotaAttempt, Map<Fault, String> described,
                           TrustSummary trust, List<HousekeepingSummary> housekeeping, InferenceSummary inference,
                           Duration wall) {
        List<JsonNode> atGround = ground.products();
        Map<String, long[]> bundles = ground.bundles();
        List<SatelliteSummary> sats = new ArrayList<>();
        Map<String, List<SceneOutcome>> outcomes = new HashMap<>();
        List<String> order = s.tenants().stream().flatMap(t -> t.pipelines().stream()).toList();
        for (SatelliteRig rig : rigs) {
            SatelliteSummary sum = satellite(rig, timeline.contacts().getOrDefault(rig.name(), List.of()), atGround,
                    bundles.getOrDefault(rig.name(), new long[2]), order);
            sats.add(sum);
            outcomes.put(rig.name(), sum.scenes());
        }
        List<FaultOutcome> coped = new ArrayList<>();
        for (Fault f : s.faults()) {
            // what the twin described itself (a tampered image: what ground says of it), else from what happened around it
            String d = described.get(f);
            coped.add(new FaultOutcome(f, d != null ? d : FaultReport.describe(f, faults.get(f), timeline, rigs, outcomes,
                    groundEvents, s.speed())));
        }
        List<TenantSummary> perTenant = new ArrayList<>();
        if (!tenants.isEmpty()) {
            List<JsonNode> runs = new ArrayList<>(), onBoard = new ArrayList<>();
            for (SatelliteRig rig : rigs) {
                runs.addAll(rig.runs());
                onBoard.addAll(rig.products());
            }
            for (TenantAccess.Member t : tenants) {
                perTenant.add(TenantSummary.of(t.name(), t.spec().quota().format(), t.spec().pipelines(), runs, onBoard,
                        atGround));
            }
        }
        return new Summary(s.name(), s.start(), s.end(), s.speed(), s.seed(), wall, sats, coped, s.ground(),
                groundEvents, doubled(atGround), perTenant, crossTenant, quotaAttempt, trust, housekeeping, inference);
    }

    /** Products ground lists more than once: the same product of the same satellite (its node's id for it). */
    static int doubled(List<JsonNode> atGround) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        int doubled = 0;
        for (JsonNode p : atGround) {
            String key = p.path("satellite").asText() + "\u0000" + p.path("nodeProductId").asText();
            if (!seen.add(key)) doubled++;
        }
        return doubled;
    }

    /**
     * {@code order}: the pipelines the scenario's tenants declare, in order; a scene that triggers several (ocean-team's
     * cloud-filter and cloud-infer) follows the run of the one named first.
     */
    private static SatelliteSummary satellite(SatelliteRig rig, List<Contact> contacts, List<JsonNode> atGround,
                                              long[] bundles, List<String> order) {
        Map<String, JsonNode> runByScene = new HashMap<>();
        java.util.function.ToIntFunction<JsonNode> rank = r -> {
            int i = order.indexOf(r.path("pipeline").asText());
            return i < 0 ? order.size() : i;
        };
        for (JsonNode r : rig.runs()) {
            if (!r.path("trigger").path("kind").asText().equals("onData")) continue;
            String file = Path.of(r.path("trigger").path("detail").asText()).getFileName().toString();
            JsonNode had = runByScene.get(file);
            // listed oldest first: a later run of the same file and pipeline (none expected) wins
            if (had == null || rank.applyAsInt(r) <= rank.applyAsInt(had)) runByScene.put(file, r);
        }
        Map<String, JsonNode> boardProductByRun = new HashMap<>();
        for (JsonNode p : rig.products()) boardProductByRun.put(p.path("run").asText(), p);
        Map<String, JsonNode> groundProductByRun = new HashMap<>();
        for (JsonNode p : atGround) {
            if (p.path("satellite").asText().equals(rig.name())) groundProductByRun.put(p.path("run").asText(), p);
        }
        Path dataset = rig.dataDir();
        List<SceneOutcome> scenes = new ArrayList<>();
        int succeeded = 0, failed = 0, pending = 0, products = 0, dropped = 0, atG = 0, onBoard = 0, lost = 0;
        long sceneBytes = 0, productBytes = 0;
        for (CapturedScene c : rig.scenes()) {
            sceneBytes += c.bytes();
            JsonNode run = runByScene.get(c.name());
            if (run == null) {
                boolean kept = c.held() ? rig.holds(c.name()) : present(dataset, c.name());
                if (kept) pending++;
                else lost++;
                String why = c.held() ? (kept ? "held by the camera: the node's storage was full" : "given up by the camera")
                        : (kept ? "not processed yet" : "scene gone");
                scenes.add(new SceneOutcome(rig.name(), c.name(), c.sha256(), null, kept ? "waiting" : "lost", 0, 0, 0,
                        null, null, kept ? SceneOutcome.ON_BOARD : SceneOutcome.LOST, why));
                continue;
            }
            String runName = run.path("name").asText();
            String state = run.path("state").asText();
            JsonNode detail = Optional.ofNullable(rig.run(runName)).orElse(run);
            int attempts = detail.path("stepRuns").size();
            int interrupted = 0, failedAttempts = 0;
            for (JsonNode a : detail.path("stepRuns")) {
                String st = a.path("state").asText();
                if (st.equals("interrupted")) interrupted++;
                if (st.equals("failed")) failedAttempts++;
            }
            String message = run.path("reason").isNull() ? null : run.path("reason").asText();
            JsonNode g = groundProductByRun.get(runName);
            JsonNode b = boardProductByRun.get(runName);
            if (state.equals("succeeded")) succeeded++;
            else if (SceneOutcome.unsettled(state)) failed++;
            // the runs are listed before the products: a run seen running whose product has appeared since is
            // counted once, as its product, never also as waiting
            else if (g == null && b == null) pending++;
            String product = null, sha = null, where = null;
            if (g != null) {
                products++;
                atG++;
                productBytes += g.path("size").asLong();
                product = g.path("name").asText();
                sha = g.path("sha256").asText();
                where = SceneOutcome.AT_GROUND;
            } else if (b != null) {
                products++;
                Path file = OnBoardProduct.file(Path.of(b.path("path").asText()));
                product = file.getFileName().toString();
                sha = OnBoardProduct.sha256(file);
                String st = b.path("state").asText();
                if (ProductState.fromWire(st).filter(s -> !s.done()).isPresent()) {
                    onBoard++;
                    where = SceneOutcome.ON_BOARD;
                } else {
                    lost++;
                    where = SceneOutcome.LOST;
                    message = "product " + st + " but not at ground";
                }
            } else if (state.equals("succeeded")) {
                dropped++;
            }
            scenes.add(new SceneOutcome(rig.name(), c.name(), c.sha256(), runName, state, attempts, interrupted,
                    failedAttempts, product, sha, where, message));
        }
        Duration contactTime = contacts.stream().map(Contact::duration).reduce(Duration.ZERO, Duration::plus);
        var link = rig.link();
        return new SatelliteSummary(rig.name(), contacts.size(), contactTime, rig.scenes().size(), succeeded, failed,
                pending, products, dropped, atG, onBoard, sceneBytes, productBytes, link.bytesUp(), link.bytesDown(),
                bundles[0], bundles[1], lost, scenes);
    }

    private static boolean present(Path dataDir, String scene) {
        try (var files = Files.find(NodeLayout.of(dataDir).datasets(), 2, (p, a) -> p.getFileName().toString().equals(scene))) {
            return files.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
