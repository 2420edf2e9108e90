package io.orchide.node.api;

import io.orchide.web.ApiException;
import io.orchide.model.FieldError;
import io.orchide.node.workload.WorkloadState;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The conditions {@code wait} understands: ended, running, or any single state by its name. */
final class WaitCondition {
    private WaitCondition() {
    }

    static Set<WorkloadState> states(String cond) {
        switch (cond.toLowerCase(Locale.ROOT)) {
            case "ended":
                return EnumSet.of(WorkloadState.SUCCEEDED, WorkloadState.FAILED, WorkloadState.STOPPED,
                        WorkloadState.CRASH_LOOP);
            case "running":
                return EnumSet.of(WorkloadState.RUNNING);
            default:
                for (WorkloadState s : WorkloadState.values()) {
                    if (s.wire().equalsIgnoreCase(cond)) return EnumSet.of(s);
                }
                throw new ApiException(400, "invalid", "unknown wait condition " + cond,
                        List.of(new FieldError("for", cond, "must be ended, running or a state name")));
        }
    }
}
