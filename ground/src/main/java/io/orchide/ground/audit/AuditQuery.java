package io.orchide.ground.audit;

import java.time.Instant;

/**
 * Which entries {@link AuditLog#query} returns, newest first: appended at or after {@code since} (null: any time),
 * of {@code tenant}, by {@code actor}, with {@code outcome} (each null: any), with a sequence number below
 * {@code before} (null: from the newest; the next page passes the last seq it got), at most {@code limit}.
 */
public record AuditQuery(Instant since, String tenant, String actor, Outcome outcome, Long before, int limit) {
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be from 1 to " + MAX_LIMIT + " (got " + limit + ")");
        }
        if (before != null && before < 1) throw new IllegalArgumentException("before: must be positive (got " + before + ")");
    }

    /** Everything, newest first, {@code limit} at a time. */
    public static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, null, null, limit);
    }

    /** The same restricted to {@code tenant}: what an authorization check narrows a tenant admin's query to. */
    public AuditQuery withTenant(String tenant) {
        return new AuditQuery(since, tenant, actor, outcome, before, limit);
    }

    /** The next page after a page that ended at {@code lastSeq}. */
    public AuditQuery before(long lastSeq) {
        return new AuditQuery(since, tenant, actor, outcome, lastSeq, limit);
    }
}
