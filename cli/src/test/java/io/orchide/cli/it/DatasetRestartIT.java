package io.orchide.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dataset's quota, permissions and files across restarts of the real agent, and a copy cut by kill -9 half-way:
 * what the copy left is neither listed nor counted, never a part under the file's name, and the next copy is whole.
 */
class DatasetRestartIT {
    private static final long BIG = 256L << 20;

    @TempDir
    Path tmp;

    @Test
    void aCopyKilledHalfWayLeavesNothingVisibleAndQuotaAndAccessHoldAcrossRestarts() throws Exception {
        Path data = tmp.resolve("node");
        int port = Fixtures.freePort();
        Agent agent = new Agent(data, port).start();
        try {
            Path archive = tmp.resolve("archive.yaml");
            Files.writeString(archive, """
                    apiVersion: orchide.io/v1
                    kind: Dataset
                    metadata: {name: archive}
                    spec:
                      quota: {files: 2}
                      access:
                        write: {pipelines: [detect]}
                    """);
            agent.cli().ok("apply", "-f", archive.toString());
            Path scenes = Files.createDirectories(data.resolve("datasets/scenes"));
            try (RandomAccessFile f = new RandomAccessFile(scenes.resolve("big.bin").toFile(), "rw")) {
                f.setLength(BIG);
            }
            Files.writeString(scenes.resolve("a.pgm"), "P5 1 1 255 a");

            // the copy of a large file is cut by kill -9 while its bytes are still under their hidden name
            Cli cli = agent.cli();
            Thread copy = Thread.ofPlatform().start(() -> cli.run("dataset", "cp", "scenes/big.bin", "archive/"));
            Path part = data.resolve("datasets/archive/.big.bin.part");
            Instant until = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.exists(part) && Instant.now().isBefore(until)) Thread.onSpinWait();
            assertThat(part).as("the copy was caught half-way").exists();
            agent.kill9();
            copy.join();
            Path target = data.resolve("datasets/archive/big.bin");
            assertThat(!Files.exists(target) || Files.size(target) == BIG).as("whole or nothing").isTrue();
            boolean landed = Files.exists(target);

            agent = new Agent(data, port).start();
            Cli after = agent.cli();
            String listed = after.ok("dataset", "ls", "archive");
            assertThat(listed).doesNotContain(".big.bin.part");
            if (!landed) {
                assertThat(listed).doesNotContain("big.bin");
                after.ok("dataset", "cp", "scenes/big.bin", "archive/");
            }
            assertThat(Files.size(target)).isEqualTo(BIG);

            // the quota holds after the restart: one more file fits, the next is refused with quota, use and request
            after.ok("dataset", "cp", "scenes/a.pgm", "archive/");
            Cli.Result over = after.run("dataset", "cp", "scenes/a.pgm", "archive/b.pgm");
            assertThat(over.status()).isNotZero();
            assertThat(over.err()).contains("quota of files: quota 2, use 2, request 1");

            agent.kill9();
            agent = new Agent(data, port).start();
            Cli third = agent.cli();
            assertThat(third.run("dataset", "cp", "scenes/a.pgm", "archive/b.pgm").err())
                    .contains("quota of files: quota 2, use 2, request 1");
            // a move inside the dataset needs no room, and its access is still the declared one
            third.ok("dataset", "mv", "archive/a.pgm", "archive/kept.pgm");
            assertThat(third.ok("dataset", "ls", "archive")).contains("kept.pgm").contains("big.bin");
            Path other = PipelineFixtures.containerPipeline(tmp, "other", "triggers: [{manual: {}}]",
                    PipelineFixtures.step("find", "true", """
                            outputs:
                              - {name: ships, path: ships.txt, dataset: archive}
                            """));
            Cli.Result refused = third.run("apply", "-f", other.toString());
            assertThat(refused.status()).isNotZero();
            assertThat(refused.out() + refused.err()).contains("spec.steps[0].outputs[0].dataset");
        } finally {
            agent.close();
        }
    }
}
