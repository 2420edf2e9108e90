package io.orchide.runtime.supervise;

import io.orchide.runtime.Launch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Measures what the shim adds to starting a monitor (printed to the test output; asserts only a loose bound). */
class StartOverheadTest {
    private static final int RUNS = 15;

    @TempDir
    Path tmp;

    @Test
    void shimStartOverhead() throws Exception {
        long[] direct = new long[RUNS];
        long[] shim = new long[RUNS];
        TestShim.Recorder recorder = new TestShim.Recorder();
        try (ShimSupervisor s = new ShimSupervisor(TestShim.config(tmp.resolve("state"), 4096), recorder)) {
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder("/bin/true").start();
                direct[i] = System.nanoTime() - t0;
                p.waitFor();
                Path dir = tmp.resolve("r" + i);
                t0 = System.nanoTime();
                s.start(new Launch(List.of("/bin/true"), Map.of()), dir, dir.resolve("console"));
                shim[i] = System.nanoTime() - t0;
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.exits.size() == RUNS);
        }
        System.out.printf("start until exec'd, median of %d: direct ProcessBuilder %.2f ms, under orchide-shim %.2f ms%n",
                RUNS, median(direct), median(shim));
        assertThat(median(shim)).isLessThan(1000);
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }
}
