package io.orchide.runtime.oci;

import io.orchide.testkit.BusyboxRootfs;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Metadata;
import io.orchide.model.Monitor;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.Launch;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.process.Exec;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Measures a runc container's start-to-exit, direct and under the shim (printed to the test output). */
class RuncTimingTest {
    private static final int RUNS = 7;

    @TempDir
    Path tmp;

    @Test
    void runcStartToExit() throws Exception {
        RuntimeConfig config = TestShim.config(tmp.resolve("state"), 4096);
        OciDriver driver = new OciDriver(config, Monitor.RUNC);
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        App app = new App(new Metadata("t", null, null), new AppSpec(rootfs.toString(), null,
                new RuntimeSpec(Family.CONTAINER, Monitor.RUNC, Arch.host(), null), List.of("/bin/busybox", "true"),
                null, null, null, null, null));
        long[] direct = new long[RUNS];
        long[] shim = new long[RUNS];
        TestShim.Recorder recorder = new TestShim.Recorder();
        try (ShimSupervisor s = new ShimSupervisor(config, recorder)) {
            for (int i = 0; i < RUNS; i++) {
                Path d = tmp.resolve("d" + i);
                Launch l = driver.prepare(app, d);
                long t0 = System.nanoTime();
                assertThat(Exec.run(l.command(), Duration.ofSeconds(20)).ok()).isTrue();
                direct[i] = System.nanoTime() - t0;
                driver.cleanup(app, d);

                Path r = tmp.resolve("r" + i);
                Launch lr = driver.prepare(app, r);
                int expected = i + 1;
                t0 = System.nanoTime();
                s.start(lr, r, r.resolve("console"));
                await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(20))
                        .until(() -> recorder.exits.size() == expected);
                shim[i] = System.nanoTime() - t0;
                assertThat(recorder.exits.get(i).exit().code()).isZero();
                driver.cleanup(app, r);
            }
        }
        System.out.printf("runc run of busybox true, median of %d: direct %.1f ms, under orchide-shim until exit reported %.1f ms%n",
                RUNS, median(direct), median(shim));
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}
