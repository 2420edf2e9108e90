package io.orchide.ground.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.quota.QuotaExceeded;
import io.orchide.model.FieldError;
import io.orchide.web.ApiException;

import java.util.List;

/**
 * A request over a tenant's quota, as the API answers it: 403 {@code quota_exceeded} (as Kubernetes answers a
 * request over a ResourceQuota: Forbidden, "exceeded quota"), with {@code quota}, {@code tenant}, {@code limit},
 * {@code used} and {@code requested} as fields of the body and in the message. The refusal is audited.
 */
final class QuotaRefusal extends ApiException {
    private final transient QuotaExceeded cause;

    private QuotaRefusal(QuotaExceeded e) {
        super(403, "quota_exceeded", e.getMessage(), List.of(new FieldError("quota." + e.quota(), Long.toString(e.requested()),
                "limit " + e.limit() + ", used " + e.used() + ", requested " + e.requested())), 0, e);
        this.cause = e;
    }

    /** The refusal of {@code e}, told to the audit log as a denied {@code verb} on {@code resource} named {@code name}. */
    static QuotaRefusal of(HttpExchange ex, Access access, QuotaExceeded e, Verb verb, Resource resource, String name) {
        access.refused(ex, verb, resource, e.tenant(), name, "quota_exceeded: " + e.getMessage());
        return new QuotaRefusal(e);
    }

    @Override
    public void details(ObjectNode body) {
        body.put("quota", cause.quota()).put("tenant", cause.tenant()).put("limit", cause.limit()).put("used", cause.used())
                .put("requested", cause.requested());
    }
}
