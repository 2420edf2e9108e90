package io.orchide.node.inference;

import io.orchide.image.ImageStore;
import io.orchide.model.App;
import io.orchide.model.FieldError;
import io.orchide.model.Model;
import io.orchide.model.ModelUse;
import io.orchide.node.workload.WorkloadLauncher;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The file a process or container gets for each model it uses: the model's content image, re-hashed against the
 * model's digest at each start, and only while the model is applied and allows the App's tenant and class.
 */
public final class ModelMounts implements WorkloadLauncher.ModelFiles {
    private final Function<String, Optional<Model>> models;
    private final ImageStore store;

    public ModelMounts(Function<String, Optional<Model>> models, ImageStore store) {
        this.models = models;
        this.store = store;
    }

    @Override
    public Path file(App app, int index) throws LaunchException {
        ModelUse use = app.spec().models().get(index);
        String field = "spec.models[" + index + "]";
        List<FieldError> refused = ModelUses.refusals(app.metadata().tenant(), app.spec().withModels(List.of(use)),
                "spec.", models);
        if (!refused.isEmpty()) throw new LaunchException(field, use.name(), refused.getFirst().message());
        String digest = models.apply(use.name()).orElseThrow().spec().digest();
        Optional<Path> file = store.path(digest);
        if (file.isEmpty()) throw new LaunchException(field, use.name(), "the file of model " + use.name() + " ("
                + digest + ") is not on this node: push it (orchide image push FILE)");
        try {
            if (!store.verify(digest)) throw new LaunchException(field, use.name(), "the file of model " + use.name()
                    + " (" + file.get() + ") no longer matches its digest " + digest);
        } catch (IOException e) {
            throw new LaunchException(field, use.name(), "cannot verify the file of model " + use.name() + ": " + e.getMessage(), e);
        }
        return file.get();
    }
}
