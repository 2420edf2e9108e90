package io.orchide.model.codec;

import io.orchide.model.RestartPolicy;

import java.time.Duration;

/** Reads {@code spec.restart}: policy, backoff {initial, max} (initial not above max), crashLoop {limit, window}. */
public final class RestartReader {
    private RestartReader() {
    }

    public static RestartPolicy read(Cursor c) {
        RestartPolicy d = RestartPolicy.DEFAULT;
        if (!c.mapping()) return d;
        c.allowOnly("policy", "backoff", "crashLoop");
        RestartPolicy.Policy policy = c.field("policy").choice(RestartPolicy.Policy.values());

        Cursor backoff = c.field("backoff");
        Duration initial = null;
        Duration max = null;
        if (backoff.mapping()) {
            backoff.allowOnly("initial", "max");
            initial = backoff.field("initial").duration();
            max = backoff.field("max").duration();
        }
        Duration effInitial = initial == null ? d.initialBackoff() : initial;
        Duration effMax = max == null ? d.maxBackoff() : max;
        if (effInitial.compareTo(effMax) > 0) {
            if (initial != null) {
                backoff.field("initial").error("must not be longer than backoff.max ("
                        + Durations.format(effMax) + ")");
            } else {
                backoff.field("max").error("must not be shorter than backoff.initial ("
                        + Durations.format(effInitial) + ")");
            }
        }

        Cursor crashLoop = c.field("crashLoop");
        Integer limit = null;
        Duration window = null;
        if (crashLoop.mapping()) {
            crashLoop.allowOnly("limit", "window");
            limit = crashLoop.field("limit").integer(1, Integer.MAX_VALUE);
            window = crashLoop.field("window").duration();
        }
        return new RestartPolicy(policy == null ? d.policy() : policy, effInitial, effMax,
                limit == null ? d.crashLoopLimit() : limit, window == null ? d.crashLoopWindow() : window);
    }
}
