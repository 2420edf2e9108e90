package io.orchide.node.storage;

import java.io.IOException;

/**
 * A write was refused because it would eat into the node's storage reserve: carries what was to be written, its
 * size, the free space and the reserve.
 */
public final class StorageFullException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final long neededBytes;
    private final long freeBytes;
    private final long reserveBytes;

    public StorageFullException(String what, long neededBytes, long freeBytes, long reserveBytes) {
        super("storage full: no room for " + what + " (" + neededBytes + " bytes): " + freeBytes
                + " bytes free, " + reserveBytes + " of them kept in reserve");
        this.what = what;
        this.neededBytes = neededBytes;
        this.freeBytes = freeBytes;
        this.reserveBytes = reserveBytes;
    }

    public String what() {
        return what;
    }

    public long neededBytes() {
        return neededBytes;
    }

    public long freeBytes() {
        return freeBytes;
    }

    public long reserveBytes() {
        return reserveBytes;
    }
}
