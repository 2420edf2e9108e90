package io.orchide.node.storage;

import io.orchide.model.FieldValueException;

/**
 * How much disk the node may use under its data directory: {@code limitBytes} (0: the whole filesystem the data
 * directory is on), {@code reserveBytes} always kept free (the agent's database, its logs and the steps' outputs
 * need room: a capture that would eat into the reserve is refused), and {@code lowBytes}: below that much free
 * space the node reclaims what it can spare (workspaces of finished runs, products ground already holds).
 */
public record StorageBudget(long limitBytes, long reserveBytes, long lowBytes) {
    /** The reserve when none is configured: 64 MiB, or a tenth of a smaller limit. */
    public static final long DEFAULT_RESERVE = 64L << 20;
    /** The whole filesystem, with the default reserve. */
    public static final StorageBudget WHOLE_DISK = of(0, 0);

    public StorageBudget {
        if (limitBytes < 0) throw new FieldValueException("storageLimit", limitBytes, "must not be negative");
        if (reserveBytes < 0) throw new FieldValueException("storageReserve", reserveBytes, "must not be negative");
        if (lowBytes < reserveBytes) {
            throw new FieldValueException("storageLow", lowBytes, "must be at least the reserve (" + reserveBytes + ")");
        }
        if (limitBytes > 0 && lowBytes >= limitBytes) {
            throw new FieldValueException("storageReserve", reserveBytes,
                    "leaves no room under the limit of " + limitBytes + " bytes");
        }
    }

    /**
     * A budget of {@code limitBytes} (0: the whole filesystem) keeping {@code reserveBytes} free (0: the default),
     * reclaiming space below twice the reserve (at most halfway from the reserve to the limit).
     */
    public static StorageBudget of(long limitBytes, long reserveBytes) {
        long reserve = reserveBytes > 0 ? reserveBytes
                : limitBytes > 0 ? Math.min(DEFAULT_RESERVE, limitBytes / 10) : DEFAULT_RESERVE;
        long low = 2 * reserve;
        if (limitBytes > 0 && reserve < limitBytes) low = Math.min(low, reserve + (limitBytes - reserve) / 2);
        return new StorageBudget(limitBytes, reserve, low);
    }

    /** The level of {@code freeBytes} in this budget. */
    public StorageLevel level(long freeBytes) {
        if (freeBytes < reserveBytes) return StorageLevel.FULL;
        if (freeBytes < lowBytes) return StorageLevel.LOW;
        return StorageLevel.OK;
    }
}
