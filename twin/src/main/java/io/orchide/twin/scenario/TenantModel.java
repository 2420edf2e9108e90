package io.orchide.twin.scenario;

import io.orchide.model.Model;

import java.nio.file.Path;
import java.util.List;

/**
 * A model of a tenant that the twin has allowed on board ({@code spec.tenants[i].models[j]}): the tenant pushes
 * {@code file} to ground and signs it with its delegated key, then an operator applies {@code model} (the Model of
 * {@code manifest}, whose {@code spec.digest} is the file's, owned by the tenant) to each of {@code satellites}
 * through ground. The other satellites never hold it: a pipeline there that declares it is refused on board.
 */
public record TenantModel(Path manifest, Model model, Path file, List<String> satellites) {
    public TenantModel {
        satellites = List.copyOf(satellites);
    }

    public String name() {
        return model.name();
    }
}
