package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.DatasetSpec;
import io.orchide.model.FieldError;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.model.StepOutput;
import io.orchide.model.Trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a pipeline may use the datasets it names. A declared dataset is read and written by whom its access says (its
 * own tenant when it says nothing). A dataset nobody declared (the node's device datasets, such as the camera's)
 * belongs to the operator and is readable by every tenant's pipelines, as before datasets could be declared. An
 * output into a dataset not declared yet is taken here (its declaration may come later from ground) and refused when
 * the step writes, if the dataset is still undeclared then ({@link DatasetOutputs}).
 */
public final class DatasetAccess {
    private DatasetAccess() {
    }

    /** Every dataset reference of {@code pipeline} it may not use, each at its field path; empty when all are allowed. */
    public static List<FieldError> check(Pipeline pipeline, Function<String, Optional<Dataset>> declared) {
        List<FieldError> errors = new ArrayList<>();
        String tenant = pipeline.metadata().tenant();
        List<Trigger> triggers = pipeline.spec().triggers();
        for (int i = 0; i < triggers.size(); i++) {
            if (!(triggers.get(i) instanceof Trigger.OnData d) || d.dataset() == null) continue;
            Optional<Dataset> ds = declared.apply(d.dataset());
            if (ds.isPresent() && !ds.get().readableBy(tenant, DatasetSpec.Principals.PIPELINE, pipeline.name())) {
                errors.add(new FieldError("spec.triggers[" + i + "].onData.dataset", d.dataset(),
                        "is not a dataset that pipeline " + pipeline.name() + " of tenant " + tenant + " may read"));
            }
        }
        List<Step> steps = pipeline.spec().steps();
        for (int i = 0; i < steps.size(); i++) {
            List<io.orchide.model.StepInput> inputs = steps.get(i).inputs();
            for (int j = 0; j < inputs.size(); j++) {
                io.orchide.model.DataRef from = inputs.get(j).from();
                if (from.source() != io.orchide.model.DataRef.Source.DATASET) continue;
                Optional<Dataset> ds = declared.apply(from.dataset());
                if (ds.isPresent() && !ds.get().readableBy(tenant, DatasetSpec.Principals.PIPELINE, pipeline.name())) {
                    errors.add(new FieldError("spec.steps[" + i + "].inputs[" + j + "].from", from.toString(),
                            "is not a dataset that pipeline " + pipeline.name() + " of tenant " + tenant + " may read"));
                }
            }
            List<StepOutput> outputs = steps.get(i).outputs();
            for (int j = 0; j < outputs.size(); j++) {
                String name = outputs.get(j).dataset();
                if (name == null) continue;
                Optional<Dataset> ds = declared.apply(name);
                if (ds.isPresent() && !ds.get().writableBy(tenant, DatasetSpec.Principals.PIPELINE, pipeline.name())) {
                    errors.add(new FieldError("spec.steps[" + i + "].outputs[" + j + "].dataset", name,
                            "is not a dataset that pipeline " + pipeline.name() + " of tenant " + tenant
                                    + " may write"));
                }
            }
        }
        return errors;
    }
}
