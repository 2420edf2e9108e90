package io.orchide.ground.auth;

import java.util.Arrays;
import java.util.List;

/** What a caller does to a resource, as in Kubernetes RBAC. Applying a manifest is {@link #CREATE}. */
public enum Verb {
    GET("get"), LIST("list"), CREATE("create"), UPDATE("update"), DELETE("delete");

    private final String wire;

    Verb(String wire) {
        this.wire = wire;
    }

    public String wire() { return wire; }

    /** The verb named {@code s}, or null. */
    public static Verb of(String s) {
        for (Verb v : values()) if (v.wire.equals(s)) return v;
        return null;
    }

    public static List<String> names() { return Arrays.stream(values()).map(Verb::wire).toList(); }
}
