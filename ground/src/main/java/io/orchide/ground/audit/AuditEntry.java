package io.orchide.ground.audit;

/**
 * What one audit entry says: who ({@code actor}: a user, a service account, {@code anonymous} for a request without
 * valid credentials), in which {@code tenant} (null for a fleet-wide action), did what ({@code verb}, such as
 * {@code get}, {@code apply}, {@code delete}) to what ({@code resource}, such as {@code satellites/sat-1/apps/hello}),
 * with which {@code outcome}, from where ({@code source}: the client's address, null when unknown), and a free-text
 * {@code detail} (a refusal's reason, an error; may be null). The time and the position in the chain are added by
 * {@link AuditLog#append}.
 *
 * <p>Fields come from requests, so from anyone: they are cut to their column's length rather than refused (an entry
 * about an over-long request must still be written), with {@link #CUT} at the end of a cut value. Only a missing
 * actor, verb, resource or outcome is refused.
 */
public record AuditEntry(String actor, String tenant, String verb, String resource, Outcome outcome, String source,
                         String detail) {
    public static final int MAX_ACTOR = 253, MAX_TENANT = 63, MAX_VERB = 64, MAX_RESOURCE = 1024, MAX_SOURCE = 128,
            MAX_DETAIL = 2048;
    /** Marks a value cut to its column's length. */
    public static final String CUT = "...";

    public AuditEntry {
        actor = required("actor", actor, MAX_ACTOR);
        verb = required("verb", verb, MAX_VERB);
        resource = required("resource", resource, MAX_RESOURCE);
        if (outcome == null) throw new IllegalArgumentException("outcome: required (one of " + Outcome.known() + ")");
        tenant = optional(tenant, MAX_TENANT);
        source = optional(source, MAX_SOURCE);
        detail = optional(detail, MAX_DETAIL);
    }

    private static String required(String field, String v, int max) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException(field + ": required (got " + (v == null ? "none" : "\"" + v + "\"") + ")");
        return cut(v, max);
    }

    private static String optional(String v, int max) {
        return v == null || v.isEmpty() ? null : cut(v, max);
    }

    static String cut(String v, int max) {
        if (v.length() <= max) return v;
        int end = max - CUT.length();
        if (Character.isHighSurrogate(v.charAt(end - 1))) end--; // never half a character
        return v.substring(0, end) + CUT;
    }
}
