package io.orchide.node.broker;

import io.orchide.model.DatasetSpec;
import io.orchide.model.Names;
import io.orchide.node.device.DeviceInputException;

/**
 * Who asks the broker: an app or a pipeline ({@code kind}: {@code app} or {@code pipeline}) named {@code name} of
 * {@code tenant}, with the {@code priority} its leases are arbitrated by (a pipeline's priority; 0 for an app). The
 * broker takes this from how the request reached it (the socket or directory given to that workload), never from
 * the request itself.
 */
public record Caller(String tenant, String kind, String name, int priority) {
    public Caller {
        check("tenant", tenant);
        check("name", name);
        if (!DatasetSpec.Principals.APP.equals(kind) && !DatasetSpec.Principals.PIPELINE.equals(kind)) {
            throw new DeviceInputException("kind", kind, "must be app or pipeline");
        }
    }

    private static void check(String field, String v) {
        String problem = v == null ? "is missing" : Names.dnsLabelProblem(v);
        if (problem != null) throw new DeviceInputException(field, v, problem);
    }

    /** How the caller is named in leases and audit records: {@code tenant/pipeline/name}. */
    public String holder() {
        return tenant + "/" + kind + "/" + name;
    }
}
