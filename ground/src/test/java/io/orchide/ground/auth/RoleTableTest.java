package io.orchide.ground.auth;

import io.orchide.testkit.Repo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The role table as code decides it, and as docs/security.md shows it: the same, cell for cell. */
class RoleTableTest {
    static Caller caller(Role role, String tenant) {
        return new Caller("p", "p", Caller.SERVICE_ACCOUNT, "t", List.of(new Binding("b", "p", role, tenant, Instant.EPOCH)));
    }

    @Test
    void theDocumentedTableIsTheOneEnforced() throws Exception {
        List<String> lines = Files.readAllLines(Repo.resolve("docs/security.md"));
        int header = lines.indexOf("| resource | platform-admin | operator | tenant-admin | developer | viewer |");
        assertThat(header).as("the permission table's header in docs/security.md").isPositive();
        Set<Resource> seen = EnumSet.noneOf(Resource.class);
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|", -1);
            for (String name : cells[1].split(",")) {
                Resource r = Resource.of(name.strip());
                assertThat(r).as("resource %s in docs/security.md", name.strip()).isNotNull();
                seen.add(r);
                for (Role role : Role.values()) {
                    String cell = cells[2 + role.ordinal()].strip();
                    Set<Verb> documented = cell.equals("all") ? EnumSet.allOf(Verb.class) : EnumSet.noneOf(Verb.class);
                    if (!cell.equals("all") && !cell.isEmpty()) {
                        for (String v : cell.split(",")) documented.add(Verb.of(v.strip()));
                    }
                    assertThat(role.permissions().getOrDefault(r, Set.of())).as("%s on %s", role.wire(), r.wire())
                            .containsExactlyInAnyOrderElementsOf(documented);
                }
            }
        }
        assertThat(seen).as("every resource is in the table").containsExactlyInAnyOrder(Resource.values());
    }

    @Test
    void aTenantRoleReachesItsTenantOnlyAndAFleetRoleNoTenantsData() {
        Caller dev = caller(Role.DEVELOPER, "ocean");
        assertThat(dev.allows(Verb.DELETE, Resource.PIPELINES, "ocean")).isTrue();
        assertThat(dev.allows(Verb.DELETE, Resource.PIPELINES, "fire")).isFalse();
        assertThat(dev.allows(Verb.GET, Resource.PRODUCTS, null)).as("no tenant named: fleet-wide").isFalse();
        assertThat(dev.allows(Verb.LIST, Resource.SATELLITES, null)).isTrue();
        assertThat(dev.allows(Verb.GET, Resource.LINK, null)).isFalse();
        assertThat(dev.scope(Verb.LIST, Resource.LOGS)).isEqualTo(new Caller.Scope(false, Set.of("ocean")));
        assertThat(dev.onlyTenant()).isEqualTo("ocean");

        Caller op = caller(Role.OPERATOR, null);
        assertThat(op.allows(Verb.LIST, Resource.WORKLOADS, "fire")).isTrue();
        assertThat(op.allows(Verb.GET, Resource.LOGS, "fire")).isFalse();
        assertThat(op.allows(Verb.GET, Resource.PRODUCTS, "fire")).isFalse();
        assertThat(op.allows(Verb.CREATE, Resource.APPS, "fire")).isFalse();
        assertThat(op.allows(Verb.CREATE, Resource.SATELLITES, null)).as("registers satellites and their node keys").isTrue();
        assertThat(dev.allows(Verb.UPDATE, Resource.SATELLITES, null)).as("a tenant never touches node keys").isFalse();
        assertThat(op.scope(Verb.LIST, Resource.LOGS).none()).isTrue();
        assertThat(op.onlyTenant()).isNull();

        Caller nobody = new Caller("p", "p", Caller.USER, null, List.of());
        for (Resource r : Resource.values()) {
            for (Verb v : Verb.values()) assertThat(nobody.allows(v, r, "ocean")).as("%s %s", v, r).isFalse();
        }
    }

    @Test
    void aRoleIsGrantedOnlyByWhoHoldsAllOfItThere() {
        List<String> granted = new ArrayList<>();
        Caller tenantAdmin = caller(Role.TENANT_ADMIN, "ocean");
        for (Role r : Role.values()) {
            if (tenantAdmin.holdsAll(r, r.fleetOnly() ? null : "ocean")) granted.add(r.wire());
        }
        assertThat(granted).containsExactly("tenant-admin", "developer", "viewer");
        assertThat(tenantAdmin.holdsAll(Role.VIEWER, "fire")).isFalse();
        assertThat(caller(Role.DEVELOPER, "ocean").holdsAll(Role.TENANT_ADMIN, "ocean")).isFalse();
        assertThat(caller(Role.OPERATOR, null).holdsAll(Role.VIEWER, "ocean")).as("no tenant's logs").isFalse();
        assertThat(caller(Role.PLATFORM_ADMIN, null).holdsAll(Role.PLATFORM_ADMIN, null)).isTrue();
    }
}
