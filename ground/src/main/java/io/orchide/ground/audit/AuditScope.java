package io.orchide.ground.audit;

import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Role;
import io.orchide.ground.auth.Verb;
import io.orchide.model.FieldError;
import io.orchide.web.ApiException;

import java.util.List;
import java.util.TreeSet;

/**
 * Who reads the audit log: a caller who may list {@code audit} fleet-wide (a platform admin) reads every entry; one
 * who may list it in some tenants (a tenant admin) reads those tenants' entries only: the query is narrowed to the
 * tenant it names, or to the caller's only tenant when it names none, and a tenant it may not read is refused 403.
 * Verifying the chain (which counts every tenant's entries) is for platform admins bound fleet-wide only. Every
 * decision goes to the audit log through {@link Access}, refusals included.
 */
public final class AuditScope implements AuditApi.Scope {
    private final Access access;

    public AuditScope(Access access) {
        this.access = access;
    }

    @Override
    public AuditQuery narrow(HttpExchange ex, AuditQuery q) {
        Caller c = Access.caller(ex);
        Caller.Scope s = c.scope(Verb.LIST, Resource.AUDIT);
        if (s.fleet()) {
            access.decided(ex, c, Verb.LIST, Resource.AUDIT, q.tenant(), null, true);
            return q;
        }
        String tenant = q.tenant();
        if (tenant == null && s.tenants().size() == 1) tenant = s.tenants().iterator().next();
        if (tenant == null && s.tenants().size() > 1) {
            access.decided(ex, c, Verb.LIST, Resource.AUDIT, null, null, false);
            String mine = String.join(", ", new TreeSet<>(s.tenants()));
            throw new ApiException(400, "invalid", "tenant: name the tenant whose audit to read (one of " + mine + ")",
                    List.of(new FieldError("tenant", null, "required: you may read the audit of " + mine)));
        }
        access.require(ex, Verb.LIST, Resource.AUDIT, tenant, null); // none, or not theirs: 403, recorded
        return q.withTenant(tenant);
    }

    @Override
    public void verify(HttpExchange ex) {
        Caller c = Access.caller(ex);
        boolean ok = c.bindings().stream().anyMatch(b -> b.fleetWide() && b.role() == Role.PLATFORM_ADMIN);
        access.decided(ex, c, Verb.GET, Resource.AUDIT, null, "verify", ok);
        if (!ok) throw Access.forbidden(c, Verb.GET, Resource.AUDIT, null);
    }

}
