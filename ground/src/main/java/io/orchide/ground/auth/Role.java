package io.orchide.ground.auth;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.orchide.ground.auth.Resource.*;
import static io.orchide.ground.auth.Verb.*;

/**
 * The roles and what each may do: the permission table (resources x verbs) that docs/security.md shows. Anything
 * not in a role's table is refused (deny by default). {@link #fleetOnly} roles are bound fleet-wide, never to a
 * tenant; the others are bound to one tenant (or fleet-wide, which grants the same verbs on every tenant).
 */
public enum Role {
    /** Everything, everywhere. */
    PLATFORM_ADMIN("platform-admin", true, all()),
    /**
     * The fleet (satellites and their node keys, the link, what runs where, device grants, the models allowed on board), never a tenant's data
     * (manifests' contents aside, no logs or products).
     */
    OPERATOR("operator", true, table(
            SATELLITES, EnumSet.of(GET, LIST, CREATE, UPDATE),
            STATIONS, EnumSet.allOf(Verb.class),
            LINK, EnumSet.of(GET, LIST, UPDATE),
            APPS, EnumSet.of(GET, LIST),
            PIPELINES, EnumSet.of(GET, LIST),
            DATASETS, EnumSet.of(GET, LIST),
            SECRETS, EnumSet.of(GET, LIST),
            DEVICEGRANTS, EnumSet.allOf(Verb.class),
            MODELS, EnumSet.allOf(Verb.class),
            WORKLOADS, EnumSet.of(GET, LIST),
            RUNS, EnumSet.of(GET, LIST),
            EVENTS, EnumSet.of(GET, LIST),
            IMAGES, EnumSet.of(GET, LIST),
            TENANTS, EnumSet.of(GET, LIST),
            TRUST, EnumSet.of(GET, LIST),
            METRICS, EnumSet.of(GET))),
    /** Everything within its tenant, its tokens and role bindings included. */
    TENANT_ADMIN("tenant-admin", false, table(
            SATELLITES, EnumSet.of(GET, LIST),
            APPS, EnumSet.allOf(Verb.class),
            PIPELINES, EnumSet.allOf(Verb.class),
            DATASETS, EnumSet.allOf(Verb.class),
            SECRETS, EnumSet.allOf(Verb.class),
            DEVICEGRANTS, EnumSet.of(GET, LIST),
            MODELS, EnumSet.of(GET, LIST),
            WORKLOADS, EnumSet.of(GET, LIST),
            RUNS, EnumSet.of(GET, LIST),
            EVENTS, EnumSet.of(GET, LIST, CREATE),
            LOGS, EnumSet.of(GET, LIST),
            PRODUCTS, EnumSet.of(GET, LIST, DELETE),
            IMAGES, EnumSet.of(GET, LIST, CREATE),
            TENANTS, EnumSet.of(GET, LIST),
            TOKENS, EnumSet.of(GET, LIST, CREATE, DELETE),
            ROLEBINDINGS, EnumSet.of(GET, LIST, CREATE, DELETE),
            AUDIT, EnumSet.of(GET, LIST))),
    /** Deploys and runs within its tenant: apply, delete, events, logs, products (and deleting them), images. */
    DEVELOPER("developer", false, table(
            SATELLITES, EnumSet.of(GET, LIST),
            APPS, EnumSet.allOf(Verb.class),
            PIPELINES, EnumSet.allOf(Verb.class),
            DATASETS, EnumSet.allOf(Verb.class),
            SECRETS, EnumSet.allOf(Verb.class),
            DEVICEGRANTS, EnumSet.of(GET, LIST),
            MODELS, EnumSet.of(GET, LIST),
            WORKLOADS, EnumSet.of(GET, LIST),
            RUNS, EnumSet.of(GET, LIST),
            EVENTS, EnumSet.of(GET, LIST, CREATE),
            LOGS, EnumSet.of(GET, LIST),
            PRODUCTS, EnumSet.of(GET, LIST, DELETE),
            IMAGES, EnumSet.of(GET, LIST, CREATE),
            TENANTS, EnumSet.of(GET, LIST))),
    /** Reads within its tenant. */
    VIEWER("viewer", false, table(
            SATELLITES, EnumSet.of(GET, LIST),
            APPS, EnumSet.of(GET, LIST),
            PIPELINES, EnumSet.of(GET, LIST),
            DATASETS, EnumSet.of(GET, LIST),
            SECRETS, EnumSet.of(GET, LIST),
            DEVICEGRANTS, EnumSet.of(GET, LIST),
            MODELS, EnumSet.of(GET, LIST),
            WORKLOADS, EnumSet.of(GET, LIST),
            RUNS, EnumSet.of(GET, LIST),
            EVENTS, EnumSet.of(GET, LIST),
            LOGS, EnumSet.of(GET, LIST),
            PRODUCTS, EnumSet.of(GET, LIST),
            IMAGES, EnumSet.of(GET, LIST),
            TENANTS, EnumSet.of(GET, LIST)));

    private final String wire;
    private final boolean fleetOnly;
    private final Map<Resource, Set<Verb>> permissions;

    Role(String wire, boolean fleetOnly, Map<Resource, Set<Verb>> permissions) {
        this.wire = wire;
        this.fleetOnly = fleetOnly;
        this.permissions = permissions;
    }

    public String wire() { return wire; }

    public boolean fleetOnly() { return fleetOnly; }

    /** Whether this role may do {@code verb} on {@code resource} (wherever it is bound). */
    public boolean permits(Verb verb, Resource resource) {
        Set<Verb> v = permissions.get(resource);
        return v != null && v.contains(verb);
    }

    /** The role's table: each resource it reaches and the verbs it may use on it. */
    public Map<Resource, Set<Verb>> permissions() { return permissions; }

    /** The role named {@code s}, or null. */
    public static Role of(String s) {
        for (Role r : values()) if (r.wire.equals(s)) return r;
        return null;
    }

    /** The roles that may do {@code verb} on {@code resource}, in the table's order. */
    public static List<Role> allowing(Verb verb, Resource resource) {
        return Arrays.stream(values()).filter(r -> r.permits(verb, resource)).toList();
    }

    public static List<String> names() { return Arrays.stream(values()).map(Role::wire).toList(); }

    private static Map<Resource, Set<Verb>> all() {
        Map<Resource, Set<Verb>> m = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) m.put(r, Set.copyOf(EnumSet.allOf(Verb.class)));
        return Map.copyOf(m);
    }

    @SuppressWarnings("unchecked")
    private static Map<Resource, Set<Verb>> table(Object... pairs) {
        Map<Resource, Set<Verb>> m = new EnumMap<>(Resource.class);
        for (int i = 0; i < pairs.length; i += 2) m.put((Resource) pairs[i], Set.copyOf((Set<Verb>) pairs[i + 1]));
        return Map.copyOf(m);
    }
}
