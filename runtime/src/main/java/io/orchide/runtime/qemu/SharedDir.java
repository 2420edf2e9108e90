package io.orchide.runtime.qemu;

import java.nio.file.Path;

/**
 * A host directory shared with the guest over virtio-9p.
 *
 * @param id        the fsdev id ({@code fs0}, {@code fs1}, ...)
 * @param tag       the 9p mount tag the guest mounts by (the Mount's name, else the id)
 * @param host      the directory on the host
 * @param mountPath where the guest should mount it (may be null when the guest decides)
 * @param readOnly  inputs are read-only, outputs writable
 * @param field     the manifest field it came from, e.g. {@code spec.inputs[0]}
 */
public record SharedDir(String id, String tag, Path host, String mountPath, boolean readOnly, String field) {
}
