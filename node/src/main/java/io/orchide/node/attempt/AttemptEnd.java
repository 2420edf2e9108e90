package io.orchide.node.attempt;

import io.orchide.runtime.RawExit;

import java.time.Instant;

/**
 * How one attempt ended.
 *
 * @param state     one of the ending states
 * @param success   true only for a monitor that exited on its own and whose driver read the exit as a success
 * @param raw       what the shim recorded, null when no monitor ran or none was seen to end
 * @param guestCode the guest's own exit status where its convention carries it; null when the guest did not
 *                  report one (a kill or a timeout is never an exit 0)
 * @param reason    a sentence for the user, e.g. "timed out after 20s", "stopped by the user"
 * @param startedAt when the monitor started (when the launch began for one that never ran)
 * @param endedAt   when it ended, never before {@code startedAt}
 */
public record AttemptEnd(AttemptState state, boolean success, RawExit raw, Integer guestCode, String reason,
                         Instant startedAt, Instant endedAt) {
    public AttemptEnd {
        if (!state.ended()) throw new IllegalArgumentException("not an ending state: " + state);
        if (endedAt.isBefore(startedAt)) endedAt = startedAt;
    }

    /**
     * The exit status a step's {@code when} reads: the guest's own, else the monitor's exit status when it exited
     * on its own without a signal; null for a kill, a timeout or a launch failure.
     */
    public Integer exitCode() {
        if (guestCode != null) return guestCode;
        if (state == AttemptState.EXITED && raw != null && !raw.signalled() && raw.code() >= 0) return raw.code();
        return null;
    }

    /** The same end, as a failure with another reason (a step whose declared outputs are missing). */
    public AttemptEnd failed(String why) {
        return new AttemptEnd(state, false, raw, guestCode, why, startedAt, endedAt);
    }
}
