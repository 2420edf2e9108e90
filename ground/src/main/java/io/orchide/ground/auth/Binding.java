package io.orchide.ground.auth;

import java.time.Instant;

/** A principal holds {@code role} in {@code tenant}, or fleet-wide when {@code tenant} is null. */
public record Binding(String id, String principal, Role role, String tenant, Instant created) {
    public boolean fleetWide() { return tenant == null; }

    /** {@code role} or {@code role@tenant}, as lists show it. */
    public String label() { return tenant == null ? role.wire() : role.wire() + "@" + tenant; }
}
