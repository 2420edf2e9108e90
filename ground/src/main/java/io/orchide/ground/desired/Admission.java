package io.orchide.ground.desired;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A last check of an apply, run in its transaction after its changes are written and before the commit: throwing
 * rolls every change of the apply back. Ground's quotas are checked here, so that the use counted and the change
 * counted against it commit together or not at all.
 */
@FunctionalInterface
public interface Admission {
    Admission NONE = (c, satellite, now, changes) -> { };

    /** One document's change: its tenant, kind, result ({@link ApplyOutcome#CREATED}, ...) and the bytes of its bundle (0 when unchanged). */
    record Change(String tenant, String kind, String result, int bundleBytes) {
    }

    void admit(Connection c, String satellite, Instant now, List<Change> changes) throws SQLException;
}
