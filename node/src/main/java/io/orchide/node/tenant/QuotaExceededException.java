package io.orchide.node.tenant;

import io.orchide.node.workload.AdmissionException;

/**
 * Something of a tenant was refused because it would take the tenant over its on-board quota of {@code resource}
 * ({@code cpu} in millicores, {@code memory} or {@code storage} in bytes): the quota, what the tenant uses now and
 * what was asked for. Nothing was started or stored. An {@link AdmissionException}, so that it takes every path a
 * refusal for the node's capacity takes.
 */
public final class QuotaExceededException extends AdmissionException {
    private final String tenant;
    private final String resource;
    private final long quota;
    private final long use;
    private final long request;

    public QuotaExceededException(String what, String tenant, String resource, long quota, long use, long request) {
        super(what + " refused: tenant " + tenant + " is over its on-board " + resource + " quota (quota "
                + amount(resource, quota) + ", in use " + amount(resource, use) + ", requested "
                + amount(resource, request) + ")");
        this.tenant = tenant;
        this.resource = resource;
        this.quota = quota;
        this.use = use;
        this.request = request;
    }

    public String tenant() { return tenant; }

    /** {@code cpu}, {@code memory} or {@code storage}. */
    public String resource() { return resource; }

    public long quota() { return quota; }

    public long use() { return use; }

    public long request() { return request; }

    /** {@code value} of {@code resource} as a user writes it: {@code 1500m} of cpu, {@code 512Mi} of memory. */
    public static String amount(String resource, long value) {
        if (resource.equals("cpu")) return value % 1000 == 0 ? Long.toString(value / 1000) : value + "m";
        String[] units = {"Ki", "Mi", "Gi", "Ti"};
        for (int i = units.length - 1; i >= 0; i--) {
            long u = 1L << (10 * (i + 1));
            if (value != 0 && value % u == 0) return (value / u) + units[i];
        }
        return Long.toString(value);
    }
}
