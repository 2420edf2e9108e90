package io.orchide.node.inference;

import io.orchide.model.AppSpec;
import io.orchide.model.FieldError;
import io.orchide.model.Model;
import io.orchide.model.ModelUse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Whether the models an App spec uses ({@code spec.models}) are applied here and allowed for its tenant and class. */
public final class ModelUses {
    private ModelUses() {
    }

    /**
     * One error for each model use of {@code spec} (an App of {@code tenant}, its fields under {@code prefix}, such as
     * {@code spec.} or {@code spec.steps[0].template.}) that names no applied model, or one that does not allow the
     * tenant or the use's accelerator class; empty when every use is allowed.
     */
    public static List<FieldError> refusals(String tenant, AppSpec spec, String prefix,
                                            Function<String, Optional<Model>> models) {
        List<FieldError> out = new ArrayList<>();
        for (int i = 0; i < spec.models().size(); i++) {
            ModelUse use = spec.models().get(i);
            String path = prefix + "models[" + i + "]";
            Optional<Model> m = models.apply(use.name());
            if (m.isEmpty()) {
                out.add(new FieldError(path, use.name(), "no model of this name is applied on this node (kind: Model)"));
                continue;
            }
            List<String> tenants = m.get().spec().tenantsOr(m.get().metadata().tenant());
            if (!tenants.contains(tenant)) {
                out.add(new FieldError(path, use.name(), "model " + use.name() + " is not allowed for tenant " + tenant
                        + " (it allows " + String.join(", ", tenants) + ")"));
            } else if (!m.get().spec().accelerators().contains(use.accelerator())) {
                out.add(new FieldError(path + ".accelerator", use.accelerator(), "model " + use.name() + " may run on "
                        + String.join(", ", m.get().spec().accelerators()) + " only"));
            }
        }
        return out;
    }
}
