package io.orchide.runtime.process;

import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.RawExit;

/**
 * Decodes the exit of a monitor that passes its payload's status through (runc, crun, bwrap): the payload's exit
 * code, or 128+N when the payload was killed by signal N.
 */
public final class ExitDecoder {
    private ExitDecoder() {
    }

    public static ExitStatus decode(RawExit raw, String monitor) {
        if (raw.signalled()) {
            return new ExitStatus(raw, null, false, monitor + " killed by signal " + raw.signal());
        }
        var common = ExitStatus.beforeConvention(raw);
        if (common.isPresent()) return common.get();
        int code = raw.code();
        if (code == 0) return new ExitStatus(raw, 0, true, "exited 0");
        // 128+N is how the monitor says its payload was killed by signal N: a kill, not a status the payload chose
        if (code > 128 && code <= 128 + 64) {
            return new ExitStatus(raw, null, false, "killed by signal " + (code - 128));
        }
        return new ExitStatus(raw, code, false, "exited " + code);
    }
}
