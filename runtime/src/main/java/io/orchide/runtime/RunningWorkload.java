package io.orchide.runtime;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A monitor process running under its shim.
 *
 * @param dir        the workload directory (console ring, pid file, exit file, driver files)
 * @param shimPid    pid of the orchide-shim parenting the monitor
 * @param monitorPid pid of the monitor (qemu, solo5-hvt, runc, bwrap)
 * @param startedAt  when the monitor was exec'd
 */
public record RunningWorkload(Path dir, long shimPid, long monitorPid, Instant startedAt) {
}
