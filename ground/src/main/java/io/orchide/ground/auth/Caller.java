package io.orchide.ground.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who made a request, once authenticated: the principal ({@code id}, display {@code name}, {@code kind}), the
 * credential that proved it ({@code credential}: an API token's id, or whatever an authenticator names it by) and
 * every role binding it holds. Decisions are pure functions of this record.
 */
public record Caller(String id, String name, String kind, String credential, List<Binding> bindings) {
    public static final String USER = "user", SERVICE_ACCOUNT = "service-account";

    public Caller {
        bindings = List.copyOf(bindings);
    }

    /**
     * Whether the caller may do {@code verb} on {@code resource} in {@code tenant}: some binding's role permits it and
     * the binding is fleet-wide or to that tenant. A fleet resource ({@code tenant} null) needs a fleet-wide binding,
     * except {@link Resource#SATELLITES}, which any binding whose role reads it reaches.
     */
    public boolean allows(Verb verb, Resource resource, String tenant) {
        for (Binding b : bindings) {
            if (!b.role().permits(verb, resource)) continue;
            if (b.fleetWide()) return true;
            if (resource == Resource.SATELLITES) return true;
            if (tenant != null && resource.tenantScoped() && b.tenant().equals(tenant)) return true;
        }
        return false;
    }

    /** Where the caller may do {@code verb} on {@code resource}: fleet-wide, or within these tenants (maybe none). */
    public Scope scope(Verb verb, Resource resource) {
        Set<String> tenants = new LinkedHashSet<>();
        for (Binding b : bindings) {
            if (!b.role().permits(verb, resource)) continue;
            if (b.fleetWide()) return Scope.FLEET;
            tenants.add(b.tenant());
        }
        return new Scope(false, Set.copyOf(tenants));
    }

    /**
     * The tenant a request that names none is about: the only tenant the caller is bound to, or null when it is bound
     * fleet-wide or to several tenants (it must then say which).
     */
    public String onlyTenant() {
        String t = null;
        for (Binding b : bindings) {
            if (b.fleetWide()) return null;
            if (t != null && !t.equals(b.tenant())) return null;
            t = b.tenant();
        }
        return t;
    }

    /**
     * Whether the caller holds everything {@code role} grants where it would be bound ({@code tenant}, or fleet-wide
     * when null): nobody hands out more than they hold.
     */
    public boolean holdsAll(Role role, String tenant) {
        for (var e : role.permissions().entrySet()) {
            for (Verb v : e.getValue()) {
                boolean held = tenant == null ? scope(v, e.getKey()).fleet() : allows(v, e.getKey(), tenant);
                if (!held) return false;
            }
        }
        return true;
    }

    /** Fleet-wide, or a set of tenants. */
    public record Scope(boolean fleet, Set<String> tenants) {
        public static final Scope FLEET = new Scope(true, Set.of());

        public boolean includes(String tenant) { return fleet || (tenant != null && tenants.contains(tenant)); }

        public boolean none() { return !fleet && tenants.isEmpty(); }
    }
}
