package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.Manifests;

/** Dataset manifests for the tests. */
final class Datasets {
    private Datasets() {
    }

    static Dataset dataset(String name, String tenant, String spec) throws Exception {
        return Manifests.parseDataset("""
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: %s, tenant: %s}
                spec:
                %s
                """.formatted(name, tenant, spec.indent(2)));
    }
}
