package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's walk-through against a real agent: unikernels on both architectures, logs, describe, stop. */
class WorkloadLifecycleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Agent agent;
    static Cli cli;

    @BeforeAll
    static void start() throws Exception {
        agent = new Agent(tmp.resolve("node"), Fixtures.freePort()).start();
        cli = agent.cli();
    }

    @AfterAll
    static void stop() throws Exception {
        for (JsonNode w : JSON.readTree(cli.ok("get", "workloads", "-o", "json"))) {
            cli.run("delete", "workload", w.path("name").asText());
        }
        agent.close();
    }

    @Test
    void x86UnikernelSerialOutputAndExitStatusReachLogsAndDescribe() throws Exception {
        Path m = Fixtures.hello(tmp, "hello-x86", "x86_64", "\"message=ground-says-hi\", \"exit=0\"", "{policy: Never}");
        assertThat(cli.ok("apply", "-f", m.toString())).contains("app/hello-x86 created");
        assertThat(cli.ok("wait", "workload", "hello-x86", "--timeout", "60s")).contains("Succeeded");
        assertThat(cli.ok("logs", "hello-x86")).contains("ground-says-hi");
        JsonNode d = JSON.readTree(cli.ok("describe", "workload", "hello-x86", "-o", "json"));
        assertThat(d.path("state").asText()).isEqualTo("Succeeded");
        assertThat(d.path("runs").get(0).path("guestExitCode").asInt()).isEqualTo(0);
        assertThat(d.path("runs").get(0).path("success").asBoolean()).isTrue();
    }

    @Test
    void aarch64UnikernelExitCodeIsDecoded() throws Exception {
        Path m = Fixtures.hello(tmp, "hello-arm", "aarch64", "\"message=arm-says-hi\", \"exit=3\"", "{policy: Never}");
        cli.ok("apply", "-f", m.toString());
        assertThat(cli.ok("wait", "workload", "hello-arm", "--timeout", "90s")).contains("Failed");
        assertThat(cli.ok("logs", "hello-arm")).contains("arm-says-hi");
        JsonNode run = JSON.readTree(cli.ok("describe", "workload", "hello-arm", "-o", "json")).path("runs").get(0);
        assertThat(run.path("guestExitCode").asInt()).isEqualTo(3);
        assertThat(run.path("success").asBoolean()).isFalse();
        String table = cli.ok("describe", "workload", "hello-arm");
        assertThat(table).contains("multiboot on qemu (aarch64)").contains("failed");
    }

    @Test
    void longRunningVmStopsGracefullyAndCanBeStartedAgain() throws Exception {
        Path m = Fixtures.hello(tmp, "long", "x86_64", "\"message=long\", \"seconds=600\"", "{policy: Always}");
        cli.ok("apply", "-f", m.toString());
        cli.ok("wait", "workload", "long", "--for", "running", "--timeout", "30s");
        long pid = JSON.readTree(cli.ok("get", "workload", "long", "-o", "json")).path("pid").asLong();
        assertThat(ProcessHandle.of(pid)).isPresent();
        assertThat(cli.ok("stop", "long")).contains("stopped");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        JsonNode w = JSON.readTree(cli.ok("get", "workload", "long", "-o", "json"));
        assertThat(w.path("state").asText()).isEqualTo("Stopped"); // Always does not undo an operator's stop
        cli.ok("start", "long");
        assertThat(cli.ok("wait", "workload", "long", "--for", "running", "--timeout", "30s")).contains("Running");
        assertThat(cli.ok("restart", "long")).contains("restarted");
        JsonNode after = JSON.readTree(cli.ok("get", "workload", "long", "-o", "json"));
        assertThat(after.path("restarts").asInt()).isEqualTo(1); // the operator's start began anew, their restart counts
        JsonNode stoppedRun = JSON.readTree(cli.ok("describe", "workload", "long", "-o", "json")).path("runs").get(1);
        assertThat(stoppedRun.path("state").asText()).isEqualTo("STOPPED"); // the operator's stop is no failure
        assertThat(stoppedRun.has("success")).isFalse();
        assertThat(cli.ok("delete", "workload", "long")).contains("deleted");
        assertThat(cli.run("get", "workload", "long").status()).isNotZero();
    }

    @Test
    void failingWorkloadIsRestartedWithBackoffThenMarkedCrashLooping() throws Exception {
        Path m = Fixtures.hello(tmp, "crashy", "x86_64", "\"message=boom\", \"exit=7\"",
                "{policy: OnFailure, backoff: {initial: 100ms, max: 2s}, crashLoop: {limit: 3, window: 10m}}");
        cli.ok("apply", "-f", m.toString());
        assertThat(cli.ok("wait", "workload", "crashy", "--for", "CrashLoop", "--timeout", "120s")).contains("CrashLoop");
        JsonNode d = JSON.readTree(cli.ok("describe", "workload", "crashy", "-o", "json"));
        assertThat(d.path("restarts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(d.path("runs").get(0).path("guestExitCode").asInt()).isEqualTo(7);
        assertThat(d.path("history").toString()).contains("restarting in 100ms").contains("restarting in 200ms");
        cli.ok("stop", "crashy");
    }

    @Test
    void changedSpecIsAppliedWithAControlledRestart() throws Exception {
        Path m = Fixtures.hello(tmp, "reconf", "x86_64", "\"message=first\", \"seconds=600\"", "{policy: Always}");
        cli.ok("apply", "-f", m.toString());
        cli.ok("wait", "workload", "reconf", "--for", "running", "--timeout", "30s");
        assertThat(cli.ok("apply", "-f", m.toString())).contains("unchanged");
        Path m2 = Fixtures.hello(tmp, "reconf", "x86_64", "\"message=second\", \"seconds=600\"", "{policy: Always}");
        assertThat(cli.ok("apply", "-f", m2.toString())).contains("configured");
        cli.ok("wait", "workload", "reconf", "--for", "running", "--timeout", "60s");
        JsonNode w = JSON.readTree(cli.ok("get", "workload", "reconf", "-o", "json"));
        assertThat(w.path("generation").asInt()).isEqualTo(2);
        JsonNode d = JSON.readTree(cli.ok("describe", "workload", "reconf", "-o", "json"));
        assertThat(d.path("spec").path("spec").path("args").toString()).contains("message=second");
        cli.ok("delete", "workload", "reconf");
    }

    @Test
    void brokenManifestIsRejectedWithEveryFieldAndNothingIsApplied() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        java.nio.file.Files.writeString(bad, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: Bad_Name}
                spec:
                  image: /nonexistent
                  runtime: {family: container, monitor: qemu, arch: x86_64}
                  resources: {vcpus: 1, memoryMiB: 0}
                  colour: blue
                """);
        Cli.Result r = cli.run("apply", "-f", bad.toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("metadata.name").contains("spec.runtime.monitor")
                .contains("spec.resources.memoryMiB").contains("spec.colour");
        assertThat(cli.ok("get", "workloads")).doesNotContain("Bad_Name");
    }

    @Test
    void multiDocumentFilesApplyEveryDocumentOrNothingWhenOneIsInvalid() throws Exception {
        Path two = tmp.resolve("two.yaml");
        java.nio.file.Files.writeString(two, java.nio.file.Files.readString(
                Fixtures.hello(tmp, "doc-one", "x86_64", "\"exit=0\"", "{policy: Never}")) + "---\n"
                + java.nio.file.Files.readString(Fixtures.hello(tmp, "doc-two", "x86_64", "\"exit=0\"", "{policy: Never}")));
        assertThat(cli.ok("apply", "-f", two.toString())).contains("app/doc-one created").contains("app/doc-two created");
        String pipeline = """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: uses-doc-three}
                spec:
                  steps:
                    - {name: only, app: doc-three, %s}
                """;
        Path mixed = tmp.resolve("mixed.yaml");
        java.nio.file.Files.writeString(mixed, java.nio.file.Files.readString(
                Fixtures.hello(tmp, "doc-three", "x86_64", "\"exit=0\"", "{policy: Never}")) + "---\n"
                + pipeline.formatted("timeout: forever"));
        Cli.Result r = cli.run("apply", "-f", mixed.toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("[1].spec.steps[0].timeout").contains("nothing applied");
        assertThat(cli.run("get", "workload", "doc-three").status()).isNotZero();
        java.nio.file.Files.writeString(mixed, java.nio.file.Files.readString(tmp.resolve("doc-three.yaml")) + "---\n"
                + pipeline.formatted("timeout: 1m"));
        assertThat(cli.ok("apply", "-f", mixed.toString())).contains("app/doc-three created")
                .contains("pipeline/uses-doc-three created");
        cli.ok("delete", "pipeline", "uses-doc-three");
        for (String n : java.util.List.of("doc-one", "doc-two", "doc-three")) cli.ok("delete", "workload", n);
    }

    @Test
    void missingImageIsRefusedByTheNodeNamingTheField() throws Exception {
        Path m = tmp.resolve("noimage.yaml");
        java.nio.file.Files.writeString(m, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: noimage}
                spec:
                  image: /does/not/exist.elf
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                """);
        Cli.Result r = cli.run("apply", "-f", m.toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("spec.image").contains("/does/not/exist.elf");
        assertThat(cli.run("get", "workload", "noimage").status()).isNotZero();
    }
}
