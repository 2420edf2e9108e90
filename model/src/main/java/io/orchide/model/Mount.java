package io.orchide.model;

/**
 * A host directory (or, for Solo5 block devices, a file) mapped into the guest.
 * {@code name} identifies it (the Solo5 block device name, the 9p tag); {@code path} is on the host;
 * {@code mountPath} is where the guest sees it; {@code sizeMiB} sizes a block output the node creates (0 = unset).
 */
public record Mount(String name, String path, String mountPath, int sizeMiB) {
}
