package io.orchide.ground.desired;

/** What applying one document did: {@code created}, {@code configured} or {@code unchanged}; the bundle that carries it. */
public record ApplyOutcome(String kind, String name, String result, int generation, String bundleId) {
    public static final String CREATED = "created";
    public static final String CONFIGURED = "configured";
    public static final String UNCHANGED = "unchanged";
    public static final String DELETED = "deleted";
}
