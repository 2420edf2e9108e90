package io.orchide.client;

import java.nio.file.Path;

/** Where a client puts the images its manifests name as local files (ground's image store, through its API). */
public interface ImagePusher {
    /** Pushes a file (a kernel, an initrd, a disk image) and returns the {@code sha256:...} reference it is known by. */
    String pushFile(Path file);

    /**
     * Pushes a container's root filesystem directory, packed as an archive whose bytes depend only on the tree, and
     * returns the archive's {@code sha256:...} reference.
     */
    String pushTree(Path dir);
}
