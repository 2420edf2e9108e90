package io.orchide.node.tenant;

import io.orchide.model.message.TenantQuota;

/**
 * Whether a tenant's request fits its on-board quota: a pure decision. Each limit is checked on its own (cpu, then
 * memory, then storage); a limit the quota does not set never refuses, nor does a request of nothing more (so that
 * a tenant whose quota was lowered below its use keeps what runs, and only asking for more is refused).
 */
public final class QuotaCheck {
    private QuotaCheck() {
    }

    /**
     * Throws when {@code quota} (null: none) leaves no room for {@code request} beside {@code use}; both are
     * {@code cpuMillis, memoryBytes, storageBytes}. {@code what} names the refused thing in the message.
     */
    public static void check(String what, String tenant, TenantQuota quota, Amounts use, Amounts request)
            throws QuotaExceededException {
        if (quota == null) return;
        limit(what, tenant, "cpu", quota.cpuMillis(), use.cpuMillis(), request.cpuMillis());
        limit(what, tenant, "memory", quota.memoryBytes(), use.memoryBytes(), request.memoryBytes());
        limit(what, tenant, "storage", quota.storageBytes(), use.storageBytes(), request.storageBytes());
    }

    private static void limit(String what, String tenant, String resource, Long quota, long use, long request)
            throws QuotaExceededException {
        if (quota == null || request <= 0) return;
        if (use + request > quota) throw new QuotaExceededException(what, tenant, resource, quota, use, request);
    }

    /** Amounts measured as quotas are: millicores, bytes of memory, bytes of storage. */
    public record Amounts(long cpuMillis, long memoryBytes, long storageBytes) {
        public static final Amounts ZERO = new Amounts(0, 0, 0);

        /** {@code vcpus} and {@code memoryMiB} as the node's capacity counts them. */
        public static Amounts compute(int vcpus, long memoryMiB) {
            return new Amounts(vcpus * 1000L, memoryMiB << 20, 0);
        }

        public static Amounts storage(long bytes) {
            return new Amounts(0, 0, bytes);
        }

        public Amounts plus(Amounts o) {
            return new Amounts(cpuMillis + o.cpuMillis, memoryBytes + o.memoryBytes, storageBytes + o.storageBytes);
        }
    }
}
