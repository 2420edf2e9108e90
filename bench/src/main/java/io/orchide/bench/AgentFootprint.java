package io.orchide.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Agent resident memory idle and with 20 running workloads (10 runc containers, 10 bubblewrap processes),
 * and the agent's CPU use over 60 s idle and with the 20 workloads running.
 */
public final class AgentFootprint {
    private static final int WORKLOADS = 20;
    private static final int CPU_WINDOW_S = Integer.getInteger("bench.cpuSeconds", 60);

    private AgentFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Path rootfs = BenchAgent.HOME.resolve("examples/containers/busybox/rootfs");
        try (BenchAgent a = new BenchAgent("--vcpus", "64")) {
            TimeUnit.SECONDS.sleep(10);
            long[] idle = a.rssPssKiB();
            double idleCpu = cpuPercent(a);
            for (int i = 0; i < WORKLOADS; i++) {
                String yaml = i % 2 == 0 ? """
                        apiVersion: orchide.io/v1
                        kind: App
                        metadata: {name: c%d}
                        spec:
                          image: %s
                          runtime: {family: container, monitor: runc}
                          args: ["/bin/sleep", "3600"]
                          resources: {vcpus: 1, memoryMiB: 16}
                        """.formatted(i, rootfs) : """
                        apiVersion: orchide.io/v1
                        kind: App
                        metadata: {name: p%d}
                        spec:
                          image: /bin/sleep
                          runtime: {family: process, monitor: bwrap}
                          args: ["3600"]
                          resources: {vcpus: 1, memoryMiB: 16}
                        """.formatted(i);
                var r = a.post("/api/v1/apply", yaml);
                if (r.statusCode() >= 300) throw new IllegalStateException(r.body());
            }
            var list = a.get("/api/v1/workloads").body();
            long running = list.lines().filter(l -> l.contains("\"state\" : \"Running\"")).count();
            TimeUnit.SECONDS.sleep(10);
            long[] loaded = a.rssPssKiB();
            double loadedCpu = cpuPercent(a);
            for (int i = 0; i < 200; i++) a.get("/api/v1/workloads");
            long[] afterApi = a.rssPssKiB();
            System.out.printf("%-44s %10s %10s%n", "agent (./orchide node, JVM flags of the launcher)", "RSS MiB", "PSS MiB");
            System.out.printf("%-44s %10.1f %10.1f%n", "idle, no workloads", idle[0] / 1024.0, idle[1] / 1024.0);
            System.out.printf("%-44s %10.1f %10.1f%n", running + " running workloads", loaded[0] / 1024.0, loaded[1] / 1024.0);
            System.out.printf("%-44s %10.1f %10.1f%n", running + " workloads, after 200 API list calls", afterApi[0] / 1024.0, afterApi[1] / 1024.0);
            System.out.printf("agent CPU over %d s: idle %.3f %% of one core; with %d workloads %.3f %%%n",
                    CPU_WINDOW_S, idleCpu, running, loadedCpu);
            for (int i = 0; i < WORKLOADS; i++) a.delete("/api/v1/workloads/" + (i % 2 == 0 ? "c" : "p") + i);
        }
    }

    private static double cpuPercent(BenchAgent a) throws Exception {
        long t0 = a.cpuTicks();
        long n0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(CPU_WINDOW_S);
        long t1 = a.cpuTicks();
        double seconds = (System.nanoTime() - n0) / 1e9;
        return (t1 - t0) / 100.0 / seconds * 100.0;
    }
}
