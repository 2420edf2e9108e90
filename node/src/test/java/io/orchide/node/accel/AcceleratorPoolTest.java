package io.orchide.node.accel;

import io.orchide.model.AcceleratorRequest;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.device.DeviceTwin;
import io.orchide.runtime.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcceleratorPoolTest {
    @TempDir
    Path tmp;

    private static final List<AcceleratorRequest> ONE_GPU = List.of(new AcceleratorRequest("gpu", 1));

    private static Accelerator accel(String name, String cls) {
        return new Accelerator(name, cls, List.of(), null, null, Map.of());
    }

    private final List<Accelerator> inventory = List.of(accel("gpu-0", "gpu"), accel("gpu-1", "gpu"),
            accel("npu-0", "npu"));

    private Path attempt(String name) throws Exception {
        return Files.createDirectories(tmp.resolve("runs").resolve(name));
    }

    private AcceleratorPool open() throws Exception {
        return AcceleratorPool.open(inventory, tmp.resolve("accelerators.json"));
    }

    @Test
    void eachAcceleratorHasOneHolderAtMost() throws Exception {
        AcceleratorPool pool = open();

        List<Accelerator> a = pool.assign(attempt("a").toString(), "detector", ONE_GPU);
        List<Accelerator> b = pool.assign(attempt("b").toString(), "classifier", ONE_GPU);

        assertThat(a).extracting(Accelerator::name).containsExactly("gpu-0");
        assertThat(b).extracting(Accelerator::name).containsExactly("gpu-1");
        assertThat(pool.tryAssign(attempt("c").toString(), "third", ONE_GPU)).isEmpty();
        assertThat(pool.holderOf("gpu-0")).contains("detector");
        assertThat(pool.holderOf("npu-0")).isEmpty();
    }

    @Test
    void aHolderAskingAgainKeepsWhatItHolds() throws Exception {
        AcceleratorPool pool = open();
        String a = attempt("a").toString();

        List<Accelerator> first = pool.assign(a, "detector", ONE_GPU);

        assertThat(pool.assign(a, "detector", ONE_GPU)).isEqualTo(first);
        assertThat(pool.holdings()).hasSize(1);
    }

    @Test
    void aNewAttemptOfTheSameWorkloadReplacesItsStaleHolding() throws Exception {
        AcceleratorPool pool = open();
        pool.assign(attempt("detector-1").toString(), "detector", List.of(new AcceleratorRequest("gpu", 2)));

        AcceleratorPool restarted = open(); // the agent died before it recorded attempt 1: nothing re-adopts it

        assertThat(restarted.assign(attempt("detector-2").toString(), "detector", ONE_GPU))
                .extracting(Accelerator::name).containsExactly("gpu-0");
        assertThat(restarted.holdings()).extracting(AcceleratorPool.Holding::holder)
                .containsExactly(attempt("detector-2").toString());
        assertThat(open().holderOf("gpu-1")).as("the release is kept").isEmpty();
    }

    @Test
    void aRequestTakesAllItAsksForOrNothing() throws Exception {
        AcceleratorPool pool = open();
        pool.assign(attempt("a").toString(), "detector", ONE_GPU);

        assertThat(pool.tryAssign(attempt("b").toString(), "big", List.of(new AcceleratorRequest("npu", 1),
                new AcceleratorRequest("gpu", 2)))).isEmpty();
        assertThat(pool.holderOf("npu-0")).as("the npu was not taken half-way").isEmpty();
    }

    @Test
    void whenNoneIsFreeTheRefusalNamesTheClassAndTheHolders() throws Exception {
        AcceleratorPool pool = open();
        pool.assign(attempt("a").toString(), "detector", List.of(new AcceleratorRequest("gpu", 2)));

        assertThatThrownBy(() -> pool.assign(attempt("b").toString(), "classifier", ONE_GPU))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.resources.accelerators");
                    assertThat(e.value()).isEqualTo("1 gpu");
                    assertThat(e.getMessage()).contains("no free accelerator of class gpu")
                            .contains("gpu-0 held by detector").contains("gpu-1 held by detector");
                });
    }

    @Test
    void aClassTheNodeLacksOrHasTooFewOfIsRefusedEvenWhenAllIsFree() throws Exception {
        AcceleratorPool pool = open();

        assertThatThrownBy(() -> pool.tryAssign(attempt("a").toString(), "x", List.of(new AcceleratorRequest("fpga", 1))))
                .hasMessageContaining("this node has no accelerator of class fpga");
        assertThatThrownBy(() -> pool.check("x", List.of(new AcceleratorRequest("gpu", 3))))
                .hasMessageContaining("only 2 accelerator(s) of class gpu");
    }

    @Test
    void aWorkloadsNewSpecMayTakeWhatItsRunningAttemptHolds() throws Exception {
        AcceleratorPool pool = open();
        pool.assign(attempt("a").toString(), "detector", List.of(new AcceleratorRequest("gpu", 2)));

        pool.check("detector", ONE_GPU);
        assertThatThrownBy(() -> pool.check("classifier", ONE_GPU)).hasMessageContaining("held by detector");
    }

    @Test
    void releaseFreesItAndTellsTheWaiters() throws Exception {
        AcceleratorPool pool = open();
        AtomicInteger told = new AtomicInteger();
        pool.onRelease(told::incrementAndGet);
        pool.onRelease(() -> {
            throw new IllegalStateException("closed");
        });
        String a = attempt("a").toString();
        pool.assign(a, "detector", List.of(new AcceleratorRequest("gpu", 2)));

        pool.release(a);
        pool.release(a);

        assertThat(told).hasValue(1);
        assertThat(pool.tryAssign(attempt("b").toString(), "classifier", ONE_GPU)).isPresent();
    }

    @Test
    void holdingsSurviveARestartWhileTheirAttemptIsThere() throws Exception {
        AcceleratorPool before = open();
        Path running = attempt("running");
        Path deleted = attempt("deleted");
        before.assign(running.toString(), "detector", ONE_GPU);
        before.assign(deleted.toString(), "old", ONE_GPU);
        Files.delete(deleted);

        AcceleratorPool after = open();

        assertThat(after.holderOf("gpu-0")).contains("detector");
        assertThat(after.holderOf("gpu-1")).as("its workload was deleted meanwhile").isEmpty();
        assertThat(after.assign(running.toString(), "detector", ONE_GPU)).extracting(Accelerator::name)
                .containsExactly("gpu-0");
        assertThat(after.tryAssign(attempt("next").toString(), "next", ONE_GPU).orElseThrow())
                .extracting(Accelerator::name).containsExactly("gpu-1");
    }

    @Test
    void aRunsReservationIsForItsStepsOnlyAndTheRefusalNamesTheRun() throws Exception {
        AcceleratorPool pool = open();
        assertThat(pool.reserve("detect-1", Map.of("gpu", 1))).isTrue();
        pool.assign(attempt("tracker").toString(), "tracker", ONE_GPU);

        assertThat(pool.holderOf("gpu-0")).contains("run/detect-1");
        assertThat(pool.unclaimedByClass()).isEqualTo(Map.of("npu", 1));
        assertThatThrownBy(() -> pool.assign(attempt("other").toString(), "other", ONE_GPU))
                .hasMessageContaining("gpu-0 reserved by run detect-1").hasMessageContaining("gpu-1 held by tracker");
        assertThatThrownBy(() -> pool.check("other", ONE_GPU)).hasMessageContaining("gpu-0 reserved by run detect-1");
        assertThat(pool.tryAssign(attempt("x").toString(), "classify-1-infer", "classify-1", ONE_GPU))
                .as("another run's step").isEmpty();

        String step = attempt("detect-1-infer").toString();
        assertThat(pool.tryAssign(step, "detect-1-infer", "detect-1", ONE_GPU).orElseThrow())
                .extracting(Accelerator::name).containsExactly("gpu-0");
        assertThat(pool.holderOf("gpu-0")).contains("detect-1-infer");
        pool.release(step);
        assertThat(pool.holderOf("gpu-0")).as("back to its run, not to the node").contains("run/detect-1");
        assertThat(pool.tryAssign(attempt("other").toString(), "other", ONE_GPU)).isEmpty();

        pool.unreserve("detect-1");
        assertThat(pool.holderOf("gpu-0")).isEmpty();
        assertThat(pool.tryAssign(attempt("other").toString(), "other", ONE_GPU)).isPresent();
    }

    @Test
    void aReservationTakesAllItCountsOrNothingAndARunKeepsTheOneItHas() throws Exception {
        AcceleratorPool pool = open();
        pool.assign(attempt("tracker").toString(), "tracker", ONE_GPU);

        assertThat(pool.reserve("big-1", Map.of("gpu", 2, "npu", 1))).isFalse();
        assertThat(pool.reservations()).isEmpty();
        assertThat(pool.holderOf("npu-0")).isEmpty();
        assertThat(pool.reserve("small-1", Map.of("gpu", 1, "npu", 1))).isTrue();
        assertThat(pool.reserve("small-1", Map.of("gpu", 1))).as("kept as it is").isTrue();
        assertThat(pool.reservation("small-1")).containsExactlyInAnyOrder("gpu-1", "npu-0");
    }

    @Test
    void reservationsSurviveARestartUntilTheEngineSaysWhichRunsStillRun() throws Exception {
        AcceleratorPool before = open();
        before.reserve("detect-1", Map.of("gpu", 1));
        before.reserve("survey-2", Map.of("gpu", 1));
        AtomicInteger told = new AtomicInteger();

        AcceleratorPool after = open();
        after.onRelease(told::incrementAndGet);
        assertThat(after.reservations()).isEqualTo(Map.of("detect-1", List.of("gpu-0"), "survey-2", List.of("gpu-1")));
        after.keepReservations(java.util.Set.of("detect-1"));

        assertThat(open().reservations()).as("the drop is kept").isEqualTo(Map.of("detect-1", List.of("gpu-0")));
        assertThat(told).as("a waiting step may take it").hasValue(1);
        assertThat(AcceleratorPool.open(List.of(accel("gpu-1", "gpu")), tmp.resolve("accelerators.json"))
                .reservations()).as("its device is gone").isEmpty();
    }

    @Test
    void theTwinsAcceleratorsAreTheDevicesOfAnAcceleratorClass() throws Exception {
        Path dev = Files.createDirectories(tmp.resolve("dev"));
        for (String n : List.of("nvidia0", "nvidiactl", "accel0")) Files.writeString(dev.resolve(n), "");
        DevicesFile file = DevicesFile.parse("""
                discover: false
                devices:
                  - {name: camera-1, class: camera}
                  - {name: gpu-0, class: gpu, path: %s}
                  - {name: npu-0, class: npu, path: %s, properties: {pciAddress: "0000:03:00.0"}}
                  - {name: fpga-0, class: fpga, path: %s}
                  - {name: sim-gpu, class: gpu}
                """.formatted(dev.resolve("nvidia0"), dev.resolve("accel0"), dev.resolve("absent")));

        List<Accelerator> all = Accelerator.of(new DeviceTwin(file, List.of()));

        assertThat(all).extracting(Accelerator::name).as("a missing device is offered to no one")
                .containsExactly("gpu-0", "npu-0", "sim-gpu");
        assertThat(all.get(0).nodes()).containsExactly(dev.resolve("nvidia0").toString(),
                dev.resolve("nvidiactl").toString());
        assertThat(all.get(0).cudaIndex()).isEqualTo("0");
        assertThat(all.get(1).pciAddress()).isEqualTo("0000:03:00.0");
        assertThat(all.get(1).cudaIndex()).isNull();
        assertThat(all.get(2).nodes()).isEmpty();
        assertThat(AcceleratorPool.open(all, null).toJson())
                .isEqualTo("[{\"name\":\"gpu-0\",\"class\":\"gpu\"},{\"name\":\"npu-0\",\"class\":\"npu\"},"
                        + "{\"name\":\"sim-gpu\",\"class\":\"gpu\"}]");
    }
}
