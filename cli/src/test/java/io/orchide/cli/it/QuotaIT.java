package io.orchide.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's ground quota with a real ground process, as the security guide and operations guide have it: the admin
 * creates a tenant allowed one App, the tenant's developer applies one and is refused a second with the quota, the
 * use and the request, the admin sees the use in get tenants and describe tenant, raises the quota (the developer
 * may not), and the second App applies.
 */
class QuotaIT {
    @TempDir
    Path tmp;

    Path app(String name) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  image: /opt/%s.elf
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                """.formatted(name, name));
        return f;
    }

    @Test
    void anApplyOverTheTenantsQuotaIsRefusedUntilTheAdminRaisesIt() throws Exception {
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort()).start()) {
            Cli admin = ground.cli();
            assertThat(admin.ok("create", "tenant", "ocean-team", "--quota", "cpu=2,apps=1,pipelines=2"))
                    .contains("tenant/ocean-team created (quota cpu=2,apps=1,pipelines=2)");
            Cli ocean = new Cli(ground.server(), admin.ok("create", "token", "--tenant", "ocean-team", "--role", "developer").strip());

            assertThat(ocean.ok("apply", "-f", app("first").toString(), "--satellite", "sat-1")).contains("created");
            Cli.Result over = ocean.run("apply", "-f", app("second").toString(), "--satellite", "sat-1");
            assertThat(over.status()).isNotZero();
            assertThat(over.err()).contains("[quota_exceeded]").contains("tenant ocean-team exceeded quota apps")
                    .contains("limit 1").contains("used 1").contains("requested 1");
            assertThat(admin.ok("get", "tenants").lines().filter(l -> l.startsWith("ocean-team")))
                    .singleElement().asString().matches("ocean-team +cpu=2,apps=1,pipelines=2 +1/1 +0/2 +0 +\\S+ +0 +.*");
            assertThat(admin.ok("get", "audit", "--outcome", "denied")).contains("ocean-team").contains("apps/second");

            Cli.Result notTheirs = ocean.run("set", "quota", "ocean-team", "--quota", "apps=5");
            assertThat(notTheirs.status()).isNotZero();
            assertThat(notTheirs.err()).contains("[forbidden]");
            assertThat(admin.ok("set", "quota", "ocean-team", "--quota", "apps=2,cpu=none"))
                    .contains("tenant/ocean-team quota set: apps=2,pipelines=2");
            assertThat(ocean.ok("apply", "-f", app("second").toString(), "--satellite", "sat-1")).contains("created");
            assertThat(admin.ok("describe", "tenant", "ocean-team")).containsPattern("  apps +2 +2\n")
                    .containsPattern("  pipelines +0 +2\n");
        }
    }
}
