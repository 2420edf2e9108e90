package io.orchide.node.storage;

import io.orchide.node.pipeline.workspace.FileStager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Something the node can delete when its storage runs low, oldest first. */
public interface Reclaimer {
    /** What it reclaims, in the plural, for reports: {@code "workspaces of finished runs"}. */
    String what();

    /**
     * Deletes what it can spare until about {@code bytes} are freed (or nothing is left to spare) and returns what
     * it freed.
     */
    Reclaimed reclaim(long bytes);

    /**
     * Deletes the files and directory trees at {@code paths} (absent ones are skipped) and returns what that freed:
     * the sizes of their files that had no other link, measured before.
     */
    static long delete(Path... paths) throws IOException {
        long freed = 0;
        for (Path p : paths) freed += Volume.freeableBytes(p);
        try {
            for (Path p : paths) FileStager.deleteTree(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return freed;
    }

    /** What one reclaim freed: how many items and bytes. */
    record Reclaimed(int items, long bytes) {
        public static final Reclaimed NOTHING = new Reclaimed(0, 0);

        public Reclaimed plus(Reclaimed o) {
            return new Reclaimed(items + o.items, bytes + o.bytes);
        }
    }
}
