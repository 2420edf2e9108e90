package io.orchide.twin.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's quota as a scenario declares it: vCPUs in millicores, memory and storage in bytes, uplink in bytes per
 * day; null where not declared. {@link #format} writes it as ground's {@code create tenant --quota} reads it.
 */
public record TenantQuota(Long cpuMillis, Long memoryBytes, Long storageBytes, Long uplinkBytesPerDay) {
    public static final TenantQuota NONE = new TenantQuota(null, null, null, null);

    private static final String[] UNITS = {"Ki", "Mi", "Gi", "Ti"};

    /** {@code cpu=2,memory=1Gi,storage=512Mi,uplink=50Mi/d}: only what is declared; empty for none. */
    public String format() {
        List<String> p = new ArrayList<>();
        if (cpuMillis != null) p.add("cpu=" + (cpuMillis % 1000 == 0 ? Long.toString(cpuMillis / 1000) : cpuMillis + "m"));
        if (memoryBytes != null) p.add("memory=" + size(memoryBytes));
        if (storageBytes != null) p.add("storage=" + size(storageBytes));
        if (uplinkBytesPerDay != null) p.add("uplink=" + size(uplinkBytesPerDay) + "/d");
        return String.join(",", p);
    }

    private static String size(long b) {
        for (int i = UNITS.length - 1; i >= 0; i--) {
            long u = 1L << (10 * (i + 1));
            if (b % u == 0) return (b / u) + UNITS[i];
        }
        return Long.toString(b);
    }
}
