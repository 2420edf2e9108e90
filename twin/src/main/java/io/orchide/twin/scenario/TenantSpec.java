package io.orchide.twin.scenario;

import io.orchide.model.tenant.Quota;
import java.nio.file.Path;
import java.util.List;

/**
 * A tenant the twin creates on ground before the first pass ({@code spec.tenants[i]}), with its quota, and the
 * manifests applied as that tenant: with a developer token of its own, so that ground's access control decides as it
 * would for that team. {@code pipelines} and {@code apps}: the names those manifests declare; {@code models}: the
 * tenant's models an operator allows on board before those manifests are applied.
 */
public record TenantSpec(String name, Quota quota, List<Path> manifests, List<String> pipelines, List<String> apps,
                         List<TenantModel> models) {
    public TenantSpec {
        manifests = List.copyOf(manifests);
        pipelines = List.copyOf(pipelines);
        apps = List.copyOf(apps);
        models = List.copyOf(models);
    }

    /** A tenant with no model of its own. */
    public TenantSpec(String name, Quota quota, List<Path> manifests, List<String> pipelines, List<String> apps) {
        this(name, quota, manifests, pipelines, apps, List.of());
    }
}
