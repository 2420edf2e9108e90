package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

/**
 * A tenant's on-board quota as ground sends it to a satellite with its desired state: at most {@code cpuMillis} of
 * vCPUs (millicores) and {@code memoryBytes} of memory held at once by the tenant's workloads and runs, and
 * {@code storageBytes} of the node's disk for the tenant's run files and products; null where the tenant has no
 * limit. {@code version} orders the quotas of one tenant for one satellite, so that a node takes each at most once
 * and never an older one after a newer.
 */
public record TenantQuota(String tenant, int version, Long cpuMillis, Long memoryBytes, Long storageBytes) {
    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("tenant", tenant);
        o.put("version", version);
        if (cpuMillis != null) o.put("cpuMillis", cpuMillis);
        if (memoryBytes != null) o.put("memoryBytes", memoryBytes);
        if (storageBytes != null) o.put("storageBytes", storageBytes);
        return Messages.bytes(o);
    }

    /** Whether no limit is set at all. */
    public boolean unlimited() {
        return cpuMillis == null && memoryBytes == null && storageBytes == null;
    }

    public static TenantQuota decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.QUOTA.wire(), payload, c -> {
            c.allowOnly("tenant", "version", "cpuMillis", "memoryBytes", "storageBytes");
            String tenant = c.field("tenant").requiredString();
            Cursor v = c.field("version");
            Integer version = v.integer(1, Integer.MAX_VALUE);
            if (!v.present()) v.missing();
            Integer cpu = c.field("cpuMillis").integer(1, Integer.MAX_VALUE);
            Long memory = c.field("memoryBytes").size(1);
            Long storage = c.field("storageBytes").size(1);
            return new TenantQuota(tenant, version == null ? 0 : version, cpu == null ? null : cpu.longValue(),
                    memory, storage);
        });
    }
}
