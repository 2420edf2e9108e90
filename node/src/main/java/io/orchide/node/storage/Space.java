package io.orchide.node.storage;

/**
 * A measurement of the node's storage: {@code capacityBytes} (the limit, or the filesystem's size),
 * {@code usedBytes} and {@code freeBytes} (what may still be written: under the limit and on the filesystem).
 */
public record Space(long capacityBytes, long usedBytes, long freeBytes) {
    public Space {
        if (capacityBytes < 0 || usedBytes < 0 || freeBytes < 0) {
            throw new IllegalArgumentException("negative space: capacity " + capacityBytes + ", used " + usedBytes
                    + ", free " + freeBytes);
        }
    }
}
