package io.orchide.node.workload;

import io.orchide.model.Monitor;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.oci.OciDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DriversTest {
    @TempDir
    Path tmp;

    @Test
    void concurrentProbesDoNotTripOverEachOther() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) && Files.isExecutable(Path.of("/bin/busybox")),
                "runc and busybox-static are needed (./orchide test installs them)");
        RuntimeConfig rc = new RuntimeConfig(null, null, null, 0, tmp.resolve("runtime"));
        Files.createDirectories(rc.stateDir());
        Drivers drivers = new Drivers(List.of(new OciDriver(rc, Monitor.RUNC)));
        // the agent's start-up warm-up and an operator's doctor call arrive together, before any cached result
        CompletableFuture<List<Probe>> a = CompletableFuture.supplyAsync(drivers::probe);
        CompletableFuture<List<Probe>> b = CompletableFuture.supplyAsync(drivers::probe);
        for (List<Probe> probes : List.of(a.get(), b.get())) {
            assertThat(probes).singleElement().satisfies(p -> assertThat(p.available()).as(p.reason()).isTrue());
        }
    }
}
