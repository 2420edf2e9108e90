package io.orchide.runtime.solo5;

import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.RawExit;

/**
 * What a Solo5 tender's exit status means. The tender exits with the status the unikernel passed to
 * {@code solo5_exit} (0 success, 1 {@code SOLO5_EXIT_FAILURE}); {@code solo5_abort} and failed assertions exit 255
 * ({@code SOLO5_EXIT_ABORT}, 255 and above are reserved). The tender's own errors (bad arguments, a declared
 * device not attached) also exit 1, but before the guest starts: {@link Solo5Start} makes them launch failures.
 */
public final class Solo5Exits {
    static final int ABORT = 255;

    private Solo5Exits() {
    }

    public static ExitStatus decode(RawExit raw) {
        var common = ExitStatus.beforeConvention(raw);
        if (common.isPresent()) return common.get();
        int s = raw.code();
        return switch (s) {
            case 0 -> new ExitStatus(raw, 0, true, "guest exited 0");
            // a tender that fails before the guest runs is a launch failure (Solo5Start), never an exit
            case 1 -> new ExitStatus(raw, 1, false, "guest exited 1");
            case ABORT -> new ExitStatus(raw, null, false, "aborted (solo5_abort)");
            default -> new ExitStatus(raw, s, false, "guest exited " + s);
        };
    }
}
