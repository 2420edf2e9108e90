package io.orchide.node.storage;

/** Something the node can delete when its storage runs low, oldest first. */
public interface Reclaimer {
    /** What it reclaims, in the plural, for reports: {@code "workspaces of finished runs"}. */
    String what();

    /**
     * Deletes what it can spare until about {@code bytes} are freed (or nothing is left to spare) and returns what
     * it freed.
     */
    Reclaimed reclaim(long bytes);

    /** What one reclaim freed: how many items and bytes. */
    record Reclaimed(int items, long bytes) {
        public static final Reclaimed NOTHING = new Reclaimed(0, 0);

        public Reclaimed plus(Reclaimed o) {
            return new Reclaimed(items + o.items, bytes + o.bytes);
        }
    }
}
