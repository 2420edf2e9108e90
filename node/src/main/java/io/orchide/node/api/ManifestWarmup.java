package io.orchide.node.api;

import io.orchide.model.Arch;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;

/**
 * Reads a sample App as YAML and as the JSON the CLI sends, a fixed number of times, on one daemon thread started
 * with the agent, so that a user's first applies do not run the manifest reader interpreted. The agent runs C1 alone
 * (its JVM flags keep it small), which compiles a method only after some hundreds of calls: until then one parse took
 * 1.5 to 2 ms of the start of a workload, against 0.07 ms compiled (docs/PERFORMANCE.md, start overhead). The thread
 * ends by itself and keeps nothing it read.
 */
public final class ManifestWarmup {
    private static final System.Logger LOG = System.getLogger(ManifestWarmup.class.getName());
    /**
     * Enough for C1 to have compiled the reader's paths an apply takes (a parse measured 0.07 ms after 2,000 parses,
     * 0.4 ms after 1,000, 6 to 10 ms after 40, at load 15 on 2 cores): about 0.7 s of one core, once.
     */
    static final int ROUNDS = 1000;
    static final String SAMPLE = """
            apiVersion: orchide.io/v1
            kind: App
            metadata: {name: warmup, labels: {app: warmup}}
            spec:
              image: /nonexistent/warmup.elf
              runtime: {family: multiboot, monitor: qemu, arch: x86_64, accel: tcg}
              args: ["message=warmup", "exit=0"]
              env: {GREETING: hello}
              resources: {vcpus: 1, memoryMiB: 32, timeout: 20s}
              restart: {policy: OnFailure, backoff: {initial: 1s, max: 1m}}
            """;

    private ManifestWarmup() {
    }

    /** Starts the reading on its own daemon thread and returns it. */
    public static Thread start(Arch nodeArch) {
        return Thread.ofPlatform().daemon().name("orchide-warmup").priority(Thread.MIN_PRIORITY).start(() -> {
            try {
                run(nodeArch, ROUNDS);
            } catch (ManifestException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "warming up the manifest reader failed: " + e.getMessage());
            }
        });
    }

    /** Reads the sample {@code rounds} times in each form; returns what the JSON form read as, the last time. */
    static Manifest run(Arch nodeArch, int rounds) throws ManifestException {
        Manifest last = null;
        for (int i = 0; i < rounds; i++) {
            Manifest m = Manifests.parseAll(SAMPLE, nodeArch).getFirst();
            last = Manifests.parseAll(Manifests.toJson(m), nodeArch).getFirst();
        }
        return last;
    }
}
