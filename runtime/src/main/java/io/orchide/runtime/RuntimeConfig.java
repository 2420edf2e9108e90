package io.orchide.runtime;

import io.orchide.model.Accel;
import io.orchide.model.Monitor;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Host-side settings of the drivers.
 *
 * @param shim        the {@code orchide-shim} executable that parents every monitor process
 * @param binaries    explicit paths of monitor binaries (solo5-hvt, firecracker, ...); others are looked up on PATH
 * @param accel       node-wide acceleration override; {@link Accel#AUTO} probes KVM per monitor
 * @param logMaxBytes bound of each workload's on-disk console ring
 * @param stateDir    where drivers may cache probe results and scratch files (e.g. {@code <data-dir>/runtime})
 */
public record RuntimeConfig(Path shim, Map<Monitor, Path> binaries, Accel accel, long logMaxBytes, Path stateDir) {
    public static final long DEFAULT_LOG_MAX_BYTES = 1 << 20;

    public RuntimeConfig {
        binaries = binaries == null ? Map.of() : Map.copyOf(binaries);
        accel = accel == null ? Accel.AUTO : accel;
        if (logMaxBytes <= 0) logMaxBytes = DEFAULT_LOG_MAX_BYTES;
    }

    public Optional<Path> binary(Monitor m) { return Optional.ofNullable(binaries.get(m)); }
}
