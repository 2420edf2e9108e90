package io.orchide.twin.run;

import java.util.List;

/** The cross-tenant attempt as the terminal shows it, at the start and in the summary. */
final class CrossTenantText {
    private CrossTenantText() {
    }

    static List<String> lines(CrossTenantAttempt a) {
        String tried = "cross-tenant attempt: " + a.intruder() + "'s developer (" + a.principal() + ") tried to replace "
                + a.victim() + "'s " + a.target() + " on " + a.satellite();
        String answer = a.status() < 0 ? "ground did not answer: " + a.message()
                : a.refused() ? "refused: " + a.status() + " " + a.code() + ": " + a.message()
                : "ISOLATION BROKEN: ground answered " + a.status() + (a.code() == null ? "" : " " + a.code()) + ": "
                + a.message();
        String where = "GET /api/v1/audit?outcome=denied&actor=" + a.principal();
        String audit = !a.refused() ? null : a.audit() != null
                ? "in the audit log: entry " + a.audit().seq() + " at " + a.audit().time() + " (" + where + ")"
                : "in the audit log: no entry found (" + where + " lists none)";
        return audit == null ? List.of(tried, answer) : List.of(tried, answer, audit);
    }
}
