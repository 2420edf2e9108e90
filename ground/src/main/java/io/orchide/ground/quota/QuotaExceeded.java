package io.orchide.ground.quota;

import io.orchide.model.tenant.Quota;

/**
 * A request that would take {@code tenant} over one of its ground quotas ({@code quota}: a key of
 * {@link Quota#KEYS}): the limit, what the tenant uses now, and what the request asked for, in the quota's unit (a
 * count, or bytes). Nothing was changed.
 */
public final class QuotaExceeded extends RuntimeException {
    private final String tenant;
    private final String quota;
    private final long limit;
    private final long used;
    private final long requested;

    public QuotaExceeded(String tenant, String quota, long limit, long used, long requested) {
        super(message(tenant, quota, limit, used, requested));
        this.tenant = tenant;
        this.quota = quota;
        this.limit = limit;
        this.used = used;
        this.requested = requested;
    }

    private static String message(String tenant, String quota, long limit, long used, long requested) {
        String unit = QuotaUse.counted(quota) ? "" : " bytes";
        String head = "tenant " + tenant + " exceeded quota " + quota + ": limit " + limit + unit + ", used " + used + unit
                + ", requested " + requested + unit;
        if (quota.equals(QuotaUse.PRODUCTS)) {
            return head + " (products kept on ground are over the limit: no new work until products are deleted or "
                    + "the quota is raised)";
        }
        return quota.equals(QuotaUse.UPLINK) ? head + " (per UTC day)" : head;
    }

    public String tenant() { return tenant; }

    public String quota() { return quota; }

    public long limit() { return limit; }

    public long used() { return used; }

    public long requested() { return requested; }
}
