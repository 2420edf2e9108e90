package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent dies (kill -9) or the host reboots: workloads are re-adopted or restored, never duplicated. */
class AgentRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void killedAgentReadoptsRunningWorkloadsAndRestartsTheOneThatDied() throws Exception {
        Path data = tmp.resolve("node");
        int port = Fixtures.freePort();
        Agent agent = new Agent(data, port).start();
        Cli cli = agent.cli();
        try {
            cli.ok("apply", "-f", Fixtures.hello(tmp, "vm", "x86_64", "\"message=vm\", \"seconds=600\"", "{policy: Always}").toString());
            cli.ok("apply", "-f", Fixtures.container(tmp, "box", "echo up; sleep 600", 16).toString());
            cli.ok("apply", "-f", Fixtures.hello(tmp, "dies", "x86_64", "\"message=dies\", \"seconds=600\"", "{policy: Always}").toString());
            for (String n : List.of("vm", "box", "dies")) cli.ok("wait", "workload", n, "--for", "running", "--timeout", "60s");
            long vmPid = pid(cli, "vm");
            long boxPid = pid(cli, "box");
            long diesPid = pid(cli, "dies");

            agent.kill9();
            assertThat(ProcessHandle.of(vmPid).map(ProcessHandle::isAlive)).contains(true);
            assertThat(ProcessHandle.of(boxPid).map(ProcessHandle::isAlive)).contains(true);
            ProcessHandle.of(diesPid).ifPresent(ProcessHandle::destroyForcibly); // dies while nobody watches
            ProcessHandle.of(diesPid).ifPresent(p -> p.onExit().join());

            agent = new Agent(data, port).start();
            assertThat(pid(cli, "vm")).isEqualTo(vmPid);
            assertThat(pid(cli, "box")).isEqualTo(boxPid);
            assertThat(state(cli, "vm")).isEqualTo("Running");
            assertThat(describe(cli, "vm").path("history").toString()).contains("re-adopted");
            cli.ok("wait", "workload", "dies", "--for", "running", "--timeout", "60s");
            JsonNode dies = describe(cli, "dies");
            assertThat(dies.path("pid").asLong()).isNotEqualTo(diesPid);
            assertThat(dies.path("restarts").asInt()).isEqualTo(1);
            // exactly one monitor per workload
            assertThat(qemuProcessesOf(data.resolve("workloads/vm"))).hasSize(1);
            assertThat(qemuProcessesOf(data.resolve("workloads/dies"))).hasSize(1);
            // the re-adopted workload is still managed: stop reaches it
            cli.ok("stop", "vm");
            assertThat(ProcessHandle.of(vmPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        } finally {
            for (String n : List.of("vm", "box", "dies")) cli.run("delete", "workload", n);
            agent.close();
        }
    }

    @Test
    void hostRebootRestoresDesiredWorkloadsWithoutGround() throws Exception {
        Path data = tmp.resolve("node");
        int port = Fixtures.freePort();
        Agent agent = new Agent(data, port).start();
        Cli cli = agent.cli();
        try {
            cli.ok("apply", "-f", Fixtures.hello(tmp, "keeper", "x86_64", "\"message=keeper\", \"seconds=600\"", "{policy: Never}").toString());
            cli.ok("wait", "workload", "keeper", "--for", "running", "--timeout", "60s");
            long before = pid(cli, "keeper");
            // a reboot: the agent, the shims and the monitors all vanish at once
            agent.kill9();
            for (ProcessHandle p : Fixtures.processesMentioning(data.resolve("workloads").toString())) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            ProcessHandle.of(before).ifPresent(p -> p.onExit().join());

            agent = new Agent(data, port).start();
            cli.ok("wait", "workload", "keeper", "--for", "running", "--timeout", "60s");
            assertThat(pid(cli, "keeper")).isNotEqualTo(before);
            assertThat(describe(cli, "keeper").path("history").toString()).contains("interrupted");
            assertThat(cli.ok("logs", "keeper")).contains("keeper");
        } finally {
            cli.run("delete", "workload", "keeper");
            agent.close();
        }
    }

    @Test
    void admissionRefusesWhatDoesNotFitAndStartsNothing() throws Exception {
        Agent agent = new Agent(tmp.resolve("small"), Fixtures.freePort(), "--vcpus", "1", "--memory-mib", "100").start();
        Cli cli = agent.cli();
        try {
            cli.ok("apply", "-f", Fixtures.container(tmp, "first", "sleep 600", 64).toString());
            Cli.Result r = cli.run("apply", "-f", Fixtures.container(tmp, "second", "sleep 600", 64).toString());
            assertThat(r.status()).isNotZero();
            assertThat(r.err()).contains("needs 1 vCPU, 64 MiB").contains("0 vCPU, 36 MiB free");
            assertThat(cli.ok("get", "workloads")).contains("first").doesNotContain("second");
            assertThat(Fixtures.processesMentioning(tmp.resolve("small/workloads/second").toString())).isEmpty();
        } finally {
            cli.run("delete", "workload", "first");
            agent.close();
        }
    }

    @Test
    void containerRunsWithItsMemoryLimitApplied() throws Exception {
        Agent agent = new Agent(tmp.resolve("c"), Fixtures.freePort()).start();
        Cli cli = agent.cli();
        try {
            cli.ok("apply", "-f", Fixtures.container(tmp, "limited",
                    "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max", 24).toString());
            assertThat(cli.ok("wait", "workload", "limited", "--timeout", "60s")).contains("Succeeded");
            assertThat(cli.ok("logs", "limited")).contains(Long.toString(24L * 1024 * 1024));
        } finally {
            cli.run("delete", "workload", "limited");
            agent.close();
        }
    }

    /** The monitors running for a workload: children of the shims started in its directory. */
    private static List<ProcessHandle> qemuProcessesOf(Path workloadDir) {
        return Fixtures.processesMentioning(workloadDir.toString()).stream()
                .filter(p -> p.info().command().map(c -> c.endsWith("orchide-shim")).orElse(false))
                .flatMap(ProcessHandle::children)
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false)).toList();
    }

    private static long pid(Cli cli, String name) throws Exception {
        return JSON.readTree(cli.ok("get", "workload", name, "-o", "json")).path("pid").asLong();
    }

    private static String state(Cli cli, String name) throws Exception {
        return JSON.readTree(cli.ok("get", "workload", name, "-o", "json")).path("state").asText();
    }

    private static JsonNode describe(Cli cli, String name) throws Exception {
        return JSON.readTree(cli.ok("describe", "workload", name, "-o", "json"));
    }
}
