package io.orchide.ground.quota;

/**
 * What one request asks of a tenant's ground quotas: Apps and Pipelines it creates, bytes it sends to satellites,
 * and whether it is new work at all (a change, not an apply of what is there already).
 */
public record QuotaRequest(long apps, long pipelines, long uplinkBytes, boolean work) {
    public static final QuotaRequest NOTHING = new QuotaRequest(0, 0, 0, false);

    /** This and {@code o} together. */
    public QuotaRequest plus(QuotaRequest o) {
        return new QuotaRequest(apps + o.apps, pipelines + o.pipelines, uplinkBytes + o.uplinkBytes, work || o.work);
    }
}
