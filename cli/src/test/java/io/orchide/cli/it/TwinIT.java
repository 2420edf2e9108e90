package io.orchide.cli.it;

import io.orchide.testkit.Examples;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.orbit.Contact;
import io.orchide.twin.plan.Timeline;
import io.orchide.twin.scenario.Fault;
import io.orchide.twin.scenario.FaultKind;
import io.orchide.twin.scenario.Scenario;
import io.orchide.twin.scenario.ScenarioReader;
import io.orchide.twin.sensor.Capture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The digital twin as a user runs it: {@code ./orchide twin -f SCENARIO}, real ground and node processes on one
 * simulated clock, contacts from the orbits, scenes from the simulated cameras, faults injected.
 */
class TwinIT {
    static final Path DEMO = Agent.REPO.resolve("examples/scenarios/two-sats.yaml");
    static final Path SHORT = Agent.REPO.resolve("cli/src/test/resources/twin/one-sat.yaml");

    @TempDir
    Path tmp;
    /** What the last twin printed. */
    private String printed = "";

    @Test
    void theDemoScenarioEndsWithTheExpectedCountsAndLosesNothingThroughAPowerLossALinkOutageACorruptSceneAndAFullDisk()
            throws Exception {
        Scenario s = ScenarioReader.read(DEMO);
        int planned = Timeline.of(s, null).captureCount();
        long began = System.nanoTime();
        JsonNode sum = twin(DEMO, tmp.resolve("demo"), "--keep");
        Duration wall = Duration.ofNanos(System.nanoTime() - began);

        assertThat(sum.path("captured").asInt()).isEqualTo(planned);
        assertThat(sum.path("lost").asInt()).isZero();
        // every scene is accounted for: a product, dropped as cloudy, failed, or still waiting on board
        assertThat(sum.path("products").asInt() + sum.path("dropped").asInt() + sum.path("failed").asInt()
                + sum.path("pending").asInt()).isEqualTo(planned);
        assertThat(sum.path("failed").asInt()).as(unsettled(sum)).isEqualTo(1); // the corrupt scene, after its retries
        assertThat(sum.path("products").asInt()).isPositive();
        assertThat(sum.path("dropped").asInt()).isPositive();
        assertThat(sum.path("productsAtGround").asInt()).isGreaterThan(sum.path("products").asInt() / 2);
        assertThat(sum.path("productBytesAtGround").asLong()).isLessThan(sum.path("sceneBytes").asLong());
        for (JsonNode sat : sum.path("satellites")) {
            assertThat(sat.path("contacts").asInt()).as(sat.path("name").asText()).isGreaterThanOrEqualTo(2);
            assertThat(sat.path("bytesDown").asLong()).isPositive();
            // the pipeline went up as a bundle; every product at ground came down as one, and status reports too
            assertThat(sat.path("bundlesUp").asLong()).as(sat.path("name").asText()).isPositive();
            assertThat(sat.path("bundlesDown").asLong()).as(sat.path("name").asText())
                    .isGreaterThan(sat.path("productsAtGround").asLong());
        }
        List<JsonNode> failed = new ArrayList<>();
        sum.path("scenes").forEach(x -> {
            if (x.path("state").asText().equals("failed")) failed.add(x);
        });
        assertThat(failed).singleElement().satisfies(x -> {
            assertThat(x.path("satellite").asText()).isEqualTo("sat-1");
            assertThat(x.path("failedAttempts").asInt()).isEqualTo(3); // 1 + 2 retries of the cloud step
            assertThat(x.path("message").asText()).contains("cloud");
        });
        JsonNode reboot = fault(sum, "reboot");
        assertThat(reboot.path("coped").asText()).contains("booted at").contains("nothing lost");
        JsonNode outage = fault(sum, "linkOutage");
        assertThat(outage.path("coped").asText()).contains("carried nothing").contains("nothing lost");
        // the storage filled up: the camera held the scenes of that hour and wrote them when space returned
        JsonNode full = fault(sum, "diskFull");
        assertThat(full.path("coped").asText()).contains("the camera held").contains("once space returned")
                .contains("nothing lost").doesNotContain("still held");
        assertTheDemoRanSignedAndATamperedImageWasRefusedOnBoard(sum);
        assertAnOperatorAllowedTheCloudDetectorOnSat1WhereTheBrokerRanItForCloudInferAndSat2RefusedIt(sum);
        assertEachSatellitesHousekeepingReachedGroundsSeries(s, sum);
        assertWhatTheOutageHeldBackWentDownAfterwards(s, sum);
        assertEachTenantRanItsOwnPipelineAndTheCrossTenantAttemptWasRefused(sum);
        // the schedule is fixed by the scenario (6 h at 200x is 108 s); start-up and the summary add a little
        assertThat(wall).isLessThan(Duration.ofMinutes(3));
        // the power loss killed the agent: its log shows a second start
        String log = Files.readString(tmp.resolve("demo/logs/sat-1.log"));
        assertThat(log.split("listening on", -1)).hasSize(3);
    }

    /**
     * Each node's housekeeping reached ground's series within its telemetry budget, as the summary read them from
     * ground; sat-1's power loss is a gap there, not zeros. The twin printed the dashboard's address.
     */
    private void assertEachSatellitesHousekeepingReachedGroundsSeries(Scenario s, JsonNode sum) {
        assertThat(printed).contains("dashboard http://127.0.0.1:");
        assertThat(sum.path("housekeeping")).hasSize(2).allSatisfy(h -> {
            assertThat(h.path("series").asInt()).as(h.toString()).isGreaterThan(5);
            assertThat(h.path("samples").asLong()).isGreaterThan(h.path("series").asLong());
            assertThat(h.path("bytes").asLong()).isPositive().isLessThanOrEqualTo(h.path("allowedBytes").asLong());
        });
        Fault reboot = s.faults().stream().filter(f -> f.kind() == FaultKind.REBOOT).findFirst().orElseThrow();
        Instant down = s.start().plus(reboot.at());
        JsonNode sat1 = sum.path("housekeeping").path(0);
        assertThat(sat1.path("satellite").asText()).isEqualTo(reboot.satellite());
        List<String> gaps = new ArrayList<>();
        sat1.path("gaps").forEach(g -> gaps.add(g.path("from").asText() + " " + g.path("to").asText()));
        assertThat(gaps).as("gaps of %s, which lost power at %s", reboot.satellite(), down).anySatisfy(g -> {
            Instant from = Instant.parse(g.split(" ")[0]), to = Instant.parse(g.split(" ")[1]);
            assertThat(from).isBefore(down.plus(reboot.duration()));
            assertThat(to).isAfter(down.plus(reboot.duration()));
        });
    }

    /**
     * The twin made a 2-of-3 root, pinned it on both nodes, delegated a key to each tenant and signed each image it
     * pushed (ocean-team's kernel and root filesystem, fire-team's root filesystem): each node verified the three
     * before it took the pipelines. ocean-team's kernel with a byte flipped after signing, applied to sat-2 as an App,
     * was refused on board, and the refusal reached ground's events and audit log.
     */
    private void assertTheDemoRanSignedAndATamperedImageWasRefusedOnBoard(JsonNode sum) {
        JsonNode trust = sum.path("trust");
        assertThat(trust.path("threshold").asInt()).as(trust.toString()).isEqualTo(2);
        assertThat(trust.path("rootKeys").asInt()).isEqualTo(3);
        List<String> delegated = new ArrayList<>();
        trust.path("delegatedTenants").forEach(t -> delegated.add(t.asText()));
        assertThat(delegated).containsExactlyInAnyOrder("ocean-team", "fire-team");
        // ocean-team's two kernels, root filesystem and model file, fire-team's root filesystem
        assertThat(trust.path("imagesSigned").asInt()).isEqualTo(5);
        // the root names ground's key as its director: the desired state every node took was sealed by it
        assertThat(trust.path("directorVersion").asLong()).isEqualTo(1);
        assertThat(trust.path("groundKeyNamed").asBoolean()).isTrue();
        assertThat(trust.path("everyNodeVerified").asBoolean()).as(trust.toString()).isTrue();
        assertThat(trust.path("nodes")).hasSize(2).allSatisfy(n -> assertThat(n.path("rootPinned").asBoolean()).isTrue());
        // sat-1 holds cloud-infer's kernel too; sat-2 refused cloud-infer
        assertThat(trust.path("nodes").path(0).path("imagesVerified").asInt()).as(trust.toString()).isEqualTo(4);
        assertThat(trust.path("nodes").path(1).path("imagesVerified").asInt()).as(trust.toString()).isEqualTo(3);
        assertThat(printed).contains("signed: 2-of-3 root (version 1)")
                .contains("desired state sealed by ground's key, a director key named by the root (director keys version 1)");
        JsonNode tampered = fault(sum, "tamperedImage");
        assertThat(tampered.path("satellite").asText()).isEqualTo("sat-2");
        assertThat(tampered.path("coped").asText()).contains("cloudcover-x86_64.elf")
                .contains("refused on board, nothing booted").contains("of tenant ocean-team: is not signed")
                .contains("ground received the refusal at").contains("in its audit log as #");
    }

    /**
     * ocean-team pushed the example cloud detector's file and signed it; an operator allowed the Model on sat-1 through
     * ground. sat-1 held it (its file whole, its signature checked against the pinned root) and its broker ran it for
     * each cloud-infer run whose unikernel step succeeded, refusing none; sat-2, which holds no such model, refused
     * cloud-infer naming the step's model, and ran none of it. The summary printed both, as read from the nodes.
     */
    private void assertAnOperatorAllowedTheCloudDetectorOnSat1WhereTheBrokerRanItForCloudInferAndSat2RefusedIt(JsonNode sum)
            throws java.io.IOException {
        String digest = Files.readString(Agent.REPO.resolve("examples/models/cloud-mask.yaml"))
                .replaceAll("(?s).*digest: (sha256:[0-9a-f]{64}).*", "$1");
        JsonNode inference = sum.path("inference");
        assertThat(inference.path("models")).as(inference.toString()).singleElement().satisfies(m -> {
            assertThat(m.path("satellite").asText()).isEqualTo("sat-1");
            assertThat(m.path("name").asText()).isEqualTo("cloud-mask");
            assertThat(m.path("tenant").asText()).isEqualTo("ocean-team");
            assertThat(m.path("digest").asText()).isEqualTo(digest);
            assertThat(m.path("signedBy").asText()).isEqualTo("ocean-team");
            assertThat(m.path("held").asBoolean()).isTrue();
            assertThat(m.path("present").asBoolean()).isTrue();
            assertThat(m.path("loaded").asBoolean()).isTrue();
        });
        assertThat(inference.path("uses")).hasSize(2);
        JsonNode sat1 = inference.path("uses").path(0), sat2 = inference.path("uses").path(1);
        assertThat(sat1.path("satellite").asText()).isEqualTo("sat-1");
        assertThat(sat1.path("pipeline").asText()).isEqualTo("cloud-infer");
        assertThat(sat1.path("refused").isNull()).as(sat1.toString()).isTrue();
        assertThat(sat1.path("answered").asInt()).as(sat1.toString()).isPositive().isLessThanOrEqualTo(sat1.path("runs").asInt());
        assertThat(sat1.path("brokerRefused").asInt()).as(sat1.toString()).isZero();
        assertThat(sat2.path("satellite").asText()).isEqualTo("sat-2");
        assertThat(sat2.path("refused").asText()).as(sat2.toString()).contains("spec.steps[0].template.models[0]")
                .contains("no model of this name is applied on this node").contains("(got cloud-mask)");
        assertThat(sat2.path("runs").asInt()).isZero();
        assertThat(printed).contains("sat-1: model/cloud-mask created").contains("by an operator, for ocean-team")
                .contains("models: cloud-mask v1 of ocean-team allowed on sat-1 by an operator (" + digest.substring(0, 19)
                        + ", its file signed with ocean-team's delegated key): held, its file present, loaded by the broker")
                .contains("inference: ocean-team's cloud-infer (cloud-mask) on sat-1: " + sat1.path("runs").asInt()
                        + " run(s), " + sat1.path("answered").asInt() + " inference(s) answered by the broker, 0 refused")
                .contains("inference: ocean-team's cloud-infer (cloud-mask) on sat-2 refused on board: Pipeline cloud-infer "
                        + "uses a model it may not use: spec.steps[0].template.models[0]");
    }

    /**
     * ocean-team's and fire-team's pipelines ran on the same satellites, each applied with its tenant's own developer
     * token, and each brought products down; fire-team's developer, trying to replace ocean-team's pipeline, was refused
     * by ground with 403 naming the verb, the resource and the tenant, as the twin printed.
     */
    private void assertEachTenantRanItsOwnPipelineAndTheCrossTenantAttemptWasRefused(JsonNode sum) {
        List<String> names = new ArrayList<>();
        sum.path("tenants").forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).containsExactly("ocean-team", "fire-team");
        for (JsonNode t : sum.path("tenants")) {
            assertThat(t.path("quota").asText()).as(t.toString()).isNotEmpty();
            assertThat(t.path("runs").asInt()).as(t.toString()).isPositive();
            assertThat(t.path("productsAtGround").asInt()).as(t.toString()).isPositive();
        }
        JsonNode ocean = sum.path("tenants").path(0);
        assertThat(ocean.path("pipelines").path(0).asText()).isEqualTo("cloud-filter");
        // the scenes' products are cloud-filter's; ocean-team's cloud-infer results came down beside them
        assertThat(ocean.path("productsAtGround").asInt()).isGreaterThan(sum.path("productsAtGround").asInt());
        JsonNode attempt = sum.path("crossTenantAttempt");
        assertThat(attempt.path("intruder").asText()).isEqualTo("fire-team");
        assertThat(attempt.path("victim").asText()).isEqualTo("ocean-team");
        assertThat(attempt.path("status").asInt()).as(attempt.toString()).isEqualTo(403);
        assertThat(attempt.path("code").asText()).isEqualTo("forbidden");
        assertThat(attempt.path("message").asText()).isEqualTo(attempt.path("principal").asText()
                + " may not create pipelines in tenant ocean-team");
        assertThat(printed).contains("cross-tenant attempt: fire-team's developer (" + attempt.path("principal").asText()
                + ") tried to replace ocean-team's pipeline/cloud-filter on sat-1").contains("in the audit log: ");
        // the refusal is in ground's audit log, found as the platform admin finds it
        assertThat(attempt.path("audit").path("seq").asLong()).isPositive();
        // fire-watch on both satellites fills fire-team's pipelines quota (2): one more is refused, naming the quota
        JsonNode over = sum.path("quotaAttempt");
        assertThat(over.path("tenant").asText()).isEqualTo("fire-team");
        assertThat(over.path("status").asInt()).as(over.toString()).isEqualTo(403);
        assertThat(over.path("code").asText()).isEqualTo("quota_exceeded");
        assertThat(over.path("message").asText()).contains("pipelines").contains("2");
        assertThat(printed).contains("over-quota attempt: fire-team's developer tried to add pipeline/fire-watch-extra on sat-1");
    }

    /**
     * sat-2's link is out for a while: products made meanwhile wait on board, and go down at its first contact after
     * the outage. So every sat-2 product whose scene was captured well before that contact (time to process it, at
     * the scenario's speed) is at ground by the end; only later ones may still be on board, and none is lost.
     */
    private void assertWhatTheOutageHeldBackWentDownAfterwards(Scenario s, JsonNode sum) {
        Fault outage = s.faults().stream().filter(f -> f.kind() == FaultKind.LINK_OUTAGE).findFirst().orElseThrow();
        Instant outageStart = s.start().plus(outage.at());
        Instant outageEnd = outageStart.plus(outage.duration());
        Timeline timeline = Timeline.of(s, null);
        Contact after = timeline.contacts().get(outage.satellite()).stream()
                .filter(c -> !c.start().isBefore(outageEnd) && c.end().isBefore(s.start().plus(s.duration())))
                .min(Comparator.comparing(Contact::start))
                .orElseThrow(() -> new AssertionError("the scenario has no contact of " + outage.satellite()
                        + " after its outage: nothing could show that the outage's products went down"));
        // capture to product: the run (a qemu step and two containers) takes a few real seconds, minutes simulated
        Instant mustBeDownIfCapturedBefore = after.start().minus(Duration.ofMinutes(30));
        List<Capture> captures = timeline.captures().get(outage.satellite());
        List<JsonNode> scenes = new ArrayList<>();
        sum.path("scenes").forEach(x -> {
            if (x.path("satellite").asText().equals(outage.satellite())) scenes.add(x);
        });
        assertThat(scenes).hasSameSizeAs(captures); // in capture order: the i-th scene is the i-th capture
        List<String> heldBackAndDown = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            JsonNode x = scenes.get(i);
            if (!x.path("product").isTextual()) continue;
            Instant captured = captures.get(i).time();
            String where = x.path("where").asText();
            if (captured.isBefore(mustBeDownIfCapturedBefore)) {
                assertThat(where).as("%s captured at %s, before the contact at %s", x.path("scene").asText(), captured,
                        after.start()).isEqualTo("ground");
                if (!captured.isBefore(outageStart)) heldBackAndDown.add(x.path("scene").asText());
            } else {
                assertThat(where).as(x.path("scene").asText()).isIn("ground", "board");
            }
        }
        assertThat(heldBackAndDown).as("products made during the outage (%s to %s)", outageStart, outageEnd).isNotEmpty();
    }

    @Test
    void theSameScenarioAndSeedGiveTheSameScenesRunsAndProductsTwice() throws Exception {
        JsonNode first = twin(SHORT, tmp.resolve("a"));
        JsonNode second = twin(SHORT, tmp.resolve("b"));
        assertThat(first.path("captured").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(first.path("lost").asInt()).isZero();
        // the scenes are the seed's alone; how far each run got by the scenario's end depends on how busy the machine
        // was, so products are compared where both runs made one: the same scene must give the same bytes
        assertThat(scenes(second)).isEqualTo(scenes(first));
        assertThat(outcomes(first)).allSatisfy(o -> assertThat(o).doesNotContain("waiting"));
        Map<String, String> a = products(first), b = products(second);
        List<String> both = a.keySet().stream().filter(b::containsKey).toList();
        assertThat(both).as("scenes with a product in both runs").isNotEmpty();
        for (String scene : both) assertThat(b.get(scene)).as(scene).isEqualTo(a.get(scene));

        JsonNode other = twin(SHORT, tmp.resolve("c"), "--seed", "6");
        assertThat(scenes(other)).isNotEqualTo(scenes(first)); // another seed, other scenes
    }

    private static List<String> outcomes(JsonNode sum) {
        List<String> out = new ArrayList<>();
        sum.path("scenes").forEach(x -> out.add(x.path("scene").asText() + " " + x.path("sceneSha256").asText() + " "
                + x.path("state").asText() + " " + (x.path("productSha256").isTextual()
                ? x.path("product").asText() + " " + x.path("productSha256").asText() : "no product")));
        return out;
    }

    /** Scene name to its product's name and SHA-256, for the scenes whose run made one. */
    private static Map<String, String> products(JsonNode sum) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        sum.path("scenes").forEach(x -> {
            if (x.path("productSha256").isTextual()) {
                out.put(x.path("scene").asText(), x.path("product").asText() + " " + x.path("productSha256").asText());
            }
        });
        return out;
    }

    private static List<String> scenes(JsonNode sum) {
        List<String> out = new ArrayList<>();
        sum.path("scenes").forEach(x -> out.add(x.path("sceneSha256").asText()));
        return out;
    }

    /** The scenes that did not succeed, with their run's state and reason, and what the twin printed at the end. */
    private String unsettled(JsonNode sum) {
        StringBuilder b = new StringBuilder("scenes that did not succeed:\n");
        sum.path("scenes").forEach(x -> {
            if (!x.path("state").asText().equals("succeeded")) {
                b.append("  ").append(x.path("satellite").asText()).append(' ').append(x.path("scene").asText())
                        .append(' ').append(x.path("run").asText()).append(' ').append(x.path("state").asText())
                        .append(" attempts=").append(x.path("attempts").asInt()).append(": ")
                        .append(x.path("message").asText()).append('\n');
            }
        });
        String tail = printed.length() > 6000 ? printed.substring(printed.length() - 6000) : printed;
        return b.append("the twin printed, at the end:\n").append(tail).toString();
    }

    private static JsonNode fault(JsonNode sum, String kind) {
        for (JsonNode f : sum.path("faults")) if (f.path("kind").asText().equals(kind)) return f;
        throw new AssertionError("no " + kind + " fault in " + sum.path("faults"));
    }

    /** Runs {@code ./orchide twin -f SCENARIO} as a user would and returns its JSON summary. */
    private JsonNode twin(Path scenario, Path work, String... more) throws Exception {
        Examples.cloudcoverKernel();
        Examples.make("examples/unikernels/cloudinfer");
        Fixtures.busyboxRootfs();
        Path summary = work.resolveSibling(work.getFileName() + "-summary.json");
        Path out = work.resolveSibling(work.getFileName() + "-out.txt");
        List<String> cmd = new ArrayList<>(List.of(Agent.REPO.resolve("orchide").toString(), "twin", "-f",
                scenario.toString(), "--work-dir", work.toString(), "--summary", summary.toString()));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("ORCHIDE_NO_BUILD", "1");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            throw new AssertionError("the twin did not end within 5 minutes:\n" + Files.readString(out));
        }
        printed = Files.readString(out);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).contains("== summary of").contains("lost: nothing");
        return new ObjectMapper().readTree(summary.toFile());
    }
}
