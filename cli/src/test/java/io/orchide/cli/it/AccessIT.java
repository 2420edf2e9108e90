package io.orchide.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's first minutes with a real ground process, as the security guide has them: the admin token of the
 * first start, a tenant, a developer token printed once, whoami and can-i as that developer, another tenant's pipeline
 * refused, another tenant's pipeline it tried to delete found by the admin in the audit log, and the token revoked
 * and refused at once.
 */
class AccessIT {
    @TempDir
    Path tmp;

    @Test
    void anAdminMakesATenantAndATokenThatCanOnlyTouchItsTenantUntilRevoked() throws Exception {
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            Path adminFile = tmp.resolve("g").resolve("admin.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminFile))).isEqualTo("rw-------");
            assertThat(Files.readString(tmp.resolve("g-ground-1.log"))).contains("first start: platform admin token written to " + adminFile);

            Cli anonymous = new Cli(ground.server());
            Cli.Result refused = anonymous.run("get", "satellites");
            assertThat(refused.status()).isNotZero();
            assertThat(refused.err()).contains("[unauthenticated]");

            Cli admin = ground.cli();
            assertThat(admin.ok("create", "tenant", "ocean-team", "--quota", "cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d"))
                    .contains("tenant/ocean-team created (quota cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d)");
            admin.ok("create", "tenant", "fire-team");
            Cli.Result made = admin.run("create", "token", "--tenant", "ocean-team", "--role", "developer", "--ttl", "90d", "--name", "ci");
            assertThat(made.status()).isZero();
            String token = made.out().strip();
            assertThat(token).startsWith("orch_").doesNotContain("\n");
            String id = made.err().replaceFirst("(?s).*token/([0-9a-f]+) created.*", "$1");
            assertThat(admin.ok("get", "tokens")).contains(id).contains("ci").contains("developer").contains("ocean-team")
                    .doesNotContain(token);
            assertThat(admin.ok("get", "tenants")).contains("ocean-team").contains("fire-team");

            Cli ocean = new Cli(ground.server(), token);
            assertThat(ocean.ok("auth", "whoami")).contains("service-account sa-" + id).contains("developer in tenant ocean-team");
            assertThat(ocean.run("auth", "can-i", "delete", "pipelines").out()).isEqualTo("yes\n");
            Cli.Result no = ocean.run("auth", "can-i", "delete", "pipelines", "--tenant", "fire-team");
            assertThat(no.out()).isEqualTo("no\n");
            assertThat(no.status()).isEqualTo(1);
            assertThat(ocean.ok("get", "tenants")).contains("ocean-team").doesNotContain("fire-team");
            Cli.Result escalate = ocean.run("create", "token", "--role", "tenant-admin");
            assertThat(escalate.status()).isNotZero();
            assertThat(escalate.err()).contains("[forbidden]");

            // a refused cross-tenant attempt is answered as if the pipeline did not exist, and the admin finds it in
            // the audit log
            Cli fire = new Cli(ground.server(), admin.ok("create", "token", "--tenant", "fire-team", "--role", "developer").strip());
            Path manifests = tmp.resolve("fire.yaml");
            Files.writeString(manifests, """
                    apiVersion: orchide.io/v1
                    kind: App
                    metadata: {name: fire-app}
                    spec:
                      image: /opt/fire.elf
                      runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                    ---
                    apiVersion: orchide.io/v1
                    kind: Pipeline
                    metadata: {name: fire-scan}
                    spec:
                      steps:
                        - name: only
                          app: fire-app
                    """);
            assertThat(fire.ok("apply", "-f", manifests.toString(), "--satellite", "sat-1")).contains("pipeline/fire-scan created");
            Cli.Result cross = ocean.run("delete", "pipeline", "fire-scan", "--satellite", "sat-1");
            assertThat(cross.status()).isNotZero();
            assertThat(cross.err()).contains("[not_found]");
            String denied = admin.ok("get", "audit", "--outcome", "denied");
            assertThat(denied.lines().filter(l -> l.contains("sa-" + id) && l.contains("fire-team") && l.contains("delete")
                    && l.contains("pipelines/fire-scan") && l.contains("denied")).count()).isEqualTo(1);
            Cli.Result notForDevelopers = ocean.run("get", "audit");
            assertThat(notForDevelopers.status()).isNotZero();
            assertThat(notForDevelopers.err()).contains("[forbidden]");

            assertThat(admin.ok("delete", "token", id)).contains("token/" + id + " revoked");
            Cli.Result after = ocean.run("auth", "whoami");
            assertThat(after.status()).isNotZero();
            assertThat(after.err()).contains("revoked").contains("[unauthenticated]");
        }
    }
}
