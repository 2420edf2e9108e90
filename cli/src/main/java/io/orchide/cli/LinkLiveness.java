package io.orchide.cli;

import io.orchide.link.LinkConfig;
import io.orchide.model.codec.Durations;

import java.time.Duration;

/**
 * The link's liveness options, the same on {@code orchide node} and {@code orchide ground}: {@code --link-keepalive}
 * (the silence after which a side sends a keepalive) and {@code --link-idle-timeout} (the silence after which a
 * session counts as dead); null where not given (the link's defaults). A bad value is refused naming the option.
 */
record LinkLiveness(Duration keepalive, Duration idleTimeout) {
    static final Duration MIN = Duration.ofMillis(100), MAX = Duration.ofHours(1);

    static LinkLiveness parse(String keepalive, String idleTimeout) {
        Duration k = keepalive == null ? null : duration("--link-keepalive", keepalive);
        Duration i = idleTimeout == null ? null : duration("--link-idle-timeout", idleTimeout);
        Duration ek = k == null ? LinkConfig.DEFAULT_KEEPALIVE : k, ei = i == null ? LinkConfig.DEFAULT_IDLE_TIMEOUT : i;
        if (ei.compareTo(ek) <= 0) {
            // a peer idle but well would be taken for dead between two of its keepalives
            throw new CliException("--link-idle-timeout: must be longer than the keepalive interval "
                    + Durations.format(ek) + " (got " + Durations.format(ei) + ")");
        }
        return new LinkLiveness(k, i);
    }

    private static Duration duration(String option, String v) {
        return OptionValues.duration(option, v, MIN, MAX, "5s");
    }
}
