package io.orchide.twin.scenario;

import io.orchide.model.tenant.Quota;
import io.orchide.twin.plan.Timeline;
import io.orchide.twin.plan.TwinEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The scenario {@code ./orchide demo} runs: it reads, and its plan gives every satellite passes and captures. */
class DefaultScenarioTest {
    static final Path FILE = Path.of("../examples/scenarios/two-sats.yaml");

    @Test
    void theDemoScenarioPlansPassesAndCapturesForBothSatellitesAndTheSamePlanEachTime() throws Exception {
        Scenario s = ScenarioReader.read(FILE);
        assertThat(s.satellites()).extracting(SatelliteSpec::name).containsExactly("sat-1", "sat-2");
        // two tenants, each with its quota and its own pipeline: the demo shows one refused trying the other's
        assertThat(s.manifests()).isEmpty();
        assertThat(s.tenants()).extracting(TenantSpec::name).containsExactly("ocean-team", "fire-team");
        assertThat(s.tenants()).extracting(TenantSpec::pipelines)
                .containsExactly(List.of("cloud-filter", "cloud-infer"), List.of("fire-watch"));
        // ocean-team's cloud detector, allowed on sat-1 alone: sat-2 shows a pipeline declaring it refused
        assertThat(s.tenants().get(0).models()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("cloud-mask");
            assertThat(m.satellites()).containsExactly("sat-1");
            assertThat(m.file().getFileName()).hasToString("cloud-mask.onnx");
        });
        assertThat(s.tenants().get(1).models()).isEmpty();
        assertThat(s.tenants()).allSatisfy(t -> assertThat(t.quota()).isNotEqualTo(Quota.NONE));
        Timeline t = Timeline.of(s, Duration.ofMinutes(30));
        if (Boolean.getBoolean("twin.print")) t.events().forEach(e -> System.out.println(e.at() + " " + describe(e)));
        for (SatelliteSpec sat : s.satellites()) {
            assertThat(t.contacts().get(sat.name())).as("passes of " + sat.name()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(t.captures().get(sat.name())).as("captures of " + sat.name()).hasSizeGreaterThanOrEqualTo(5);
        }
        assertThat(t.events()).isSortedAccordingTo(java.util.Comparator.comparing(TwinEvent::at));
        assertThat(Timeline.of(s, Duration.ofMinutes(30)).events()).isEqualTo(t.events());
        // the demo shows every kind of fault that strikes a satellite; replicas.yaml those that strike ground
        List<FaultKind> kinds = t.events().stream().filter(e -> e instanceof TwinEvent.FaultStart)
                .map(e -> ((TwinEvent.FaultStart) e).fault().kind()).toList();
        assertThat(kinds).containsExactlyInAnyOrder(java.util.Arrays.stream(FaultKind.values())
                .filter(k -> !k.onGround()).toArray(FaultKind[]::new));
        Scenario replicas = ScenarioReader.read(FILE.resolveSibling("replicas.yaml"));
        assertThat(replicas.faults()).extracting(Fault::kind).containsExactlyInAnyOrder(java.util.Arrays
                .stream(FaultKind.values()).filter(FaultKind::onGround).toArray(FaultKind[]::new));
        assertThat(replicas.ground()).isEqualTo(new GroundSpec(2, GroundSpec.Database.POSTGRES));
    }

    private static String describe(TwinEvent e) {
        return switch (e) {
            case TwinEvent.ContactStart c -> "AOS " + c.contact().satellite() + " " + c.station().name() + " " + c.contact().duration();
            case TwinEvent.ContactEnd c -> "LOS " + c.contact().satellite() + " " + c.station().name();
            case TwinEvent.CaptureDue c -> "capture " + c.satellite() + " " + c.capture().target();
            case TwinEvent.FaultStart f -> "fault " + f.fault().describe();
            case TwinEvent.FaultEnd f -> "fault ends " + f.fault().describe();
            case TwinEvent.StatusDue st -> "status";
        };
    }
}
