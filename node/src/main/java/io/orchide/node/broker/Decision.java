package io.orchide.node.broker;

import java.util.Objects;

/**
 * The broker's answer to one request: allowed under {@code grant}, or refused with a {@code code} a program can act
 * on and a {@code reason} a person can read.
 */
public record Decision(boolean allowed, String code, String reason, String grant) {
    public static final String NO_SUCH_DEVICE = "no_such_device", NO_GRANT = "no_grant",
            VERB_NOT_GRANTED = "verb_not_granted", OUTSIDE_WINDOW = "outside_window", NO_POSITION = "no_position",
            QUOTA_EXCEEDED = "quota_exceeded", RATE_LIMITED = "rate_limited";

    public Decision {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }

    static Decision allow(String grant) {
        return new Decision(true, "allowed", "under grant " + grant, grant);
    }

    static Decision refuse(String code, String reason, String grant) {
        return new Decision(false, code, reason, grant);
    }
}
