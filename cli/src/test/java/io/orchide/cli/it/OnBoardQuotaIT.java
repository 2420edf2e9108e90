package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's on-board quota, with real ground and node processes: the quota goes up with the tenant's desired state
 * and is kept on board; with ground gone (out of contact) and the agent restarted, the node refuses the tenant's
 * workload over the quota on its own, naming the quota, the use and the request; the refusal waits on board through
 * another restart and reaches ground at the next contact, in the satellite's events and in ground's audit log, whose
 * chain stays intact.
 */
class OnBoardQuotaIT {
    @TempDir
    Path tmp;

    Path app(String name) throws Exception {
        String yaml = """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: ocean-team}
                spec:
                  image: %s
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                  args: ["message=%s", "seconds=3600"]
                  resources: {vcpus: 1, memoryMiB: 32}
                  restart: {policy: Always}
                """.formatted(name, Fixtures.helloKernel("x86_64"), name);
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    Agent agent(Ground ground, int port) throws java.io.IOException {
        return ground.node(tmp.resolve("n1"), port);
    }

    @Test
    void aTenantOverItsOnBoardQuotaIsRefusedByTheNodeOutOfContactAndTheRefusalReachesGroundAtTheNextPass() throws Exception {
        int nodePort = Fixtures.freePort();
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            Cli g = ground.cli();
            NodeHttp gh = ground.http();
            g.ok("create", "tenant", "ocean-team", "--quota", "cpu=1,memory=256Mi");
            assertThat(g.ok("apply", "-f", app("greeter").toString(), "--satellite", "sat-1")).contains("app/greeter created");

            try (Agent node = ground.registered("sat-1", agent(ground, nodePort)).start()) {
                NodeHttp nh = node.http();
                NodeHttp.await(90, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
                JsonNode taken = NodeHttp.await(30, () -> nh.get("/api/v1/audit").path("items"),
                        items -> items.toString().contains("\"kind\":\"Quota\""));
                assertThat(taken.toString()).contains("quota cpu=1,memory=256Mi");
                // ground has the node's own records of what it applied
                NodeHttp.await(60, () -> gh.get("/api/v1/audit?actor=satellite:sat-1/n1").path("items").toString(),
                        s -> s.contains("satellites/sat-1/apps/greeter"));
                // out of contact: ground is gone; the agent restarts on its own
                ground.kill9();
                node.kill9();
            }
            try (Agent node = agent(ground, nodePort).start()) {
                NodeHttp nh = node.http();
                NodeHttp.await(60, () -> nh.getOrMissing("/api/v1/workloads/greeter").path("state").asText(), "Running"::equals);
                Cli.Result refused = node.cli().run("apply", "-f", app("extra").toString());
                assertThat(refused.status()).isNotZero();
                assertThat(refused.err()).contains("[quota_exceeded]")
                        .contains("tenant ocean-team is over its on-board cpu quota (quota 1, in use 1, requested 1)");
                assertThat(nh.getOrMissing("/api/v1/workloads/extra").isMissingNode()).isTrue();
                // a pipeline one of whose runs alone needs more than the tenant's quota is refused too
                Path big = tmp.resolve("big.yaml");
                Files.writeString(big, """
                        apiVersion: orchide.io/v1
                        kind: Pipeline
                        metadata: {name: big, tenant: ocean-team}
                        spec:
                          steps:
                            - name: only
                              template:
                                image: %s
                                runtime: {family: container, monitor: runc}
                                args: ["/bin/true"]
                                resources: {vcpus: 1, memoryMiB: 512}
                        """.formatted(Fixtures.busyboxRootfs()));
                Cli.Result bigRefused = node.cli().run("apply", "-f", big.toString());
                assertThat(bigRefused.status()).isNotZero();
                assertThat(bigRefused.err()).contains("[quota_exceeded]").contains("pipeline big")
                        .contains("memory quota (quota 256Mi, in use 0, requested 512Mi)");
                assertThat(nh.get("/api/v1/audit").path("items").get(0).path("outcome").asText()).isEqualTo("refused");
                assertThat(nh.get("/api/v1/audit").path("items").get(1).path("outcome").asText()).isEqualTo("refused");
                node.kill9(); // the refusal's record, not yet with ground, must outlive this too
            }
            try (Agent node = agent(ground, nodePort).start()) {
                ground.start(); // the next pass
                String events = NodeHttp.await(60, () -> gh.get("/api/v1/satellites/sat-1/events").path("items").toString(),
                        out -> out.contains("App/extra"));
                assertThat(events).contains("apply from the node's local API refused")
                        .contains("quota 1, in use 1, requested 1");
                JsonNode denied = NodeHttp.await(60, () -> gh.get("/api/v1/audit?actor=satellite:sat-1/n1&outcome=denied")
                        .path("items"), items -> items.size() > 1);
                assertThat(denied).hasSize(2); // newest first
                assertThat(denied.get(0).path("resource").asText()).isEqualTo("satellites/sat-1/pipelines/big");
                JsonNode extra = denied.get(1);
                assertThat(extra.path("resource").asText()).isEqualTo("satellites/sat-1/apps/extra");
                assertThat(extra.path("tenant").asText()).isEqualTo("ocean-team");
                assertThat(extra.path("source").asText()).isEqualTo("satellite:sat-1");
                assertThat(extra.path("detail").asText()).contains("from the node's local API")
                        .contains("quota 1, in use 1, requested 1");
                assertThat(gh.get("/api/v1/audit/verify").path("intact").asBoolean()).isTrue();
                node.http().delete("/api/v1/workloads/greeter"); // its VM would outlive the agent (by design)
            }
        }
    }
}
