package io.orchide.node.apply;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.ContentRef;
import io.orchide.model.Dataset;
import io.orchide.model.DeviceGrant;
import io.orchide.model.FieldError;
import io.orchide.model.Manifest;
import io.orchide.model.Model;
import io.orchide.node.inference.ModelUses;
import io.orchide.model.Pipeline;
import io.orchide.model.Secret;
import io.orchide.node.secret.NodeSecrets;
import io.orchide.model.Step;
import io.orchide.node.dataset.DatasetAccess;
import io.orchide.node.dataset.DatasetRefusedException;
import io.orchide.node.dataset.DatasetRegistry;
import io.orchide.node.pipeline.run.NoSuchRunException;
import io.orchide.node.pipeline.run.PipelineRefusedException;
import io.orchide.node.pipeline.run.Pipelines;
import io.orchide.node.workload.AdmissionException;
import io.orchide.node.workload.ApplyResult;
import io.orchide.node.workload.Reconciler;
import io.orchide.runtime.LaunchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one way a manifest is applied on the node, whether it came through the local API or as desired state from
 * ground. The rules, in order: a manifest equal to the one applied changes nothing and answers {@code unchanged};
 * one naming a content image ({@code sha256:...}) the node does not hold is not applied and answers which images
 * it lacks ({@link Waiting}); a Pipeline naming a dataset it may not read is refused, naming the field; anything else
 * goes to the reconciler (an App), the pipeline side (a Pipeline), the dataset registry (a Dataset), the node's
 * sealed secrets (a Secret), the broker's grants (a DeviceGrant) or the allowed models (a Model), whose refusals are
 * thrown as they are. An App or a step template using a model ({@code spec.models}) that is not applied, or not
 * allowed for its tenant or accelerator class, is refused naming the use.
 */
public final class Applier {
    /** What applying a manifest came to. */
    public sealed interface Outcome permits Applied, Waiting {
    }

    /** Applied (or found unchanged): {@code result} is the answer a user sees. */
    public record Applied(ApplyResult result) implements Outcome {
    }

    /** Not applied: the content images it names that the node lacks, each with the field that names it. */
    public record Waiting(List<FieldError> missing) implements Outcome {
        public Waiting {
            missing = List.copyOf(missing);
        }

        public String message() {
            return "waiting for content image" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing.stream().map(FieldError::value).toList());
        }
    }

    /** Where Apps go: the reconciler. */
    public interface Apps {
        Optional<App> applied(String name);

        ApplyResult apply(App app) throws AdmissionException, LaunchException;
    }

    /** Where Pipelines go: the pipeline side. */
    public interface PipelineSide {
        Optional<Pipeline> applied(String name);

        ApplyResult apply(Pipeline pipeline) throws PipelineRefusedException, AdmissionException;
    }

    /** Where Datasets go: the node's dataset registry. */
    public interface DatasetSide {
        Optional<Dataset> declared(String name);

        ApplyResult apply(Dataset dataset) throws DatasetRefusedException;

        /** Forgets the declaration of {@code name} (its files stay); whether it was declared. */
        boolean delete(String name);
    }

    /** Where Secrets go: the node's sealed secrets. */
    public interface SecretSide {
        ApplyResult apply(Secret secret) throws LaunchException;

        /** Forgets Secret {@code name}; whether it was here. */
        boolean delete(String name);

        /** Secret {@code name} as kept here (sealed), if any. */
        default Optional<Secret> held(String name) {
            return Optional.empty();
        }

        /** A node without a place for secrets: refuses them. */
        SecretSide NONE = new SecretSide() {
            @Override public ApplyResult apply(Secret secret) throws LaunchException {
                throw new LaunchException("kind", Secret.KIND, "this node takes no Secrets");
            }

            @Override public boolean delete(String name) { return false; }
        };
    }

    /** Where DeviceGrants go: the broker's grants. */
    public interface GrantSide {
        ApplyResult apply(DeviceGrant grant);

        /** The grant {@code name} applied here, if any. */
        default Optional<DeviceGrant> applied(String name) {
            return Optional.empty();
        }

        /** Removes grant {@code name}; whether there was one. */
        boolean delete(String name);
    }

    /** Where Models go: the node's allowed models. */
    public interface ModelSide {
        Optional<Model> get(String name);

        /** Stores {@code model}; refuses one whose file is not signed as the node's root of trust requires. */
        ApplyResult apply(Model model) throws LaunchException;

        /** Removes model {@code name}; whether there was one. */
        boolean delete(String name);

        /** A node that allows no model: a Model is refused, and an App using one names it. */
        ModelSide NONE = new ModelSide() {
            @Override public Optional<Model> get(String name) { return Optional.empty(); }

            @Override public ApplyResult apply(Model model) {
                throw new IllegalStateException("this node takes no Models");
            }

            @Override public boolean delete(String name) { return false; }
        };
    }

    /** A node without a broker: a grant is applied to nothing, and says so. */
    private static final GrantSide NO_BROKER = new GrantSide() {
        @Override
        public ApplyResult apply(DeviceGrant grant) {
            throw new IllegalStateException("this node has no device broker");
        }

        @Override
        public boolean delete(String name) {
            return false;
        }
    };

    static final String LACKING = "the node does not hold this content image (images reach the node from ground)";

    private final Apps apps;
    private final PipelineSide pipelines;
    private final DatasetSide datasets;
    private final Predicate<String> hasImage;
    private final SecretSide secrets;
    private final GrantSide grants;
    private final ModelSide models;

    public Applier(Apps apps, PipelineSide pipelines, DatasetSide datasets, Predicate<String> hasImage) {
        this(apps, pipelines, datasets, hasImage, SecretSide.NONE, NO_BROKER);
    }

    public Applier(Apps apps, PipelineSide pipelines, DatasetSide datasets, Predicate<String> hasImage, SecretSide secrets) {
        this(apps, pipelines, datasets, hasImage, secrets, NO_BROKER);
    }

    public Applier(Apps apps, PipelineSide pipelines, DatasetSide datasets, Predicate<String> hasImage, SecretSide secrets,
                   GrantSide grants) {
        this(apps, pipelines, datasets, hasImage, secrets, grants, ModelSide.NONE);
    }

    public Applier(Apps apps, PipelineSide pipelines, DatasetSide datasets, Predicate<String> hasImage, SecretSide secrets,
                   GrantSide grants, ModelSide models) {
        this.models = models;
        this.grants = grants;
        this.apps = apps;
        this.pipelines = pipelines;
        this.datasets = datasets;
        this.hasImage = hasImage;
        this.secrets = secrets;
    }

    /**
     * Over the node's reconciler, pipeline side and dataset registry; {@code hasImage} says whether a content image
     * is stored whole.
     */
    public static Applier of(Reconciler reconciler, Pipelines pipelines, DatasetRegistry registry,
                             Predicate<String> hasImage) {
        return of(reconciler, pipelines, registry, hasImage, null);
    }

    /** As {@link #of(Reconciler, Pipelines, DatasetRegistry, Predicate)}, Secrets going to {@code secrets} (null: none). */
    public static Applier of(Reconciler reconciler, Pipelines pipelines, DatasetRegistry registry,
                             Predicate<String> hasImage, NodeSecrets secrets) {
        Apps apps = new Apps() {
            @Override
            public Optional<App> applied(String name) {
                return reconciler.applied(name);
            }

            @Override
            public ApplyResult apply(App app) throws AdmissionException, LaunchException {
                return reconciler.apply(app);
            }
        };
        PipelineSide side = new PipelineSide() {
            @Override
            public Optional<Pipeline> applied(String name) {
                try {
                    return Optional.of(pipelines.get(name).pipeline());
                } catch (NoSuchRunException e) {
                    return Optional.empty();
                }
            }

            @Override
            public ApplyResult apply(Pipeline pipeline) throws PipelineRefusedException, AdmissionException {
                return pipelines.apply(pipeline);
            }
        };
        DatasetSide declared = new DatasetSide() {
            @Override
            public Optional<Dataset> declared(String name) {
                return registry.get(name);
            }

            @Override
            public ApplyResult apply(Dataset dataset) throws DatasetRefusedException {
                return registry.apply(dataset);
            }

            @Override
            public boolean delete(String name) {
                return registry.delete(name);
            }
        };
        SecretSide sealed = secrets == null ? SecretSide.NONE : new SecretSide() {
            @Override public ApplyResult apply(Secret secret) throws LaunchException {
                return secrets.apply(secret);
            }

            @Override public boolean delete(String name) {
                return secrets.delete(name);
            }

            @Override public Optional<Secret> held(String name) {
                return secrets.get(name);
            }
        };
        return new Applier(apps, side, declared, hasImage, sealed);
    }

    public Outcome apply(Manifest manifest)
            throws AdmissionException, LaunchException, PipelineRefusedException, DatasetRefusedException {
        switch (manifest) {
            case App app -> {
                if (apps.applied(app.name()).filter(app::equals).isPresent()) return new Applied(ApplyResult.UNCHANGED);
                List<FieldError> refusedModels = ModelUses.refusals(app.metadata().tenant(), app.spec(), "spec.", models::get);
                if (!refusedModels.isEmpty()) {
                    FieldError e = refusedModels.getFirst();
                    throw new LaunchException(e.path(), e.value(), e.message());
                }
                List<FieldError> missing = missing(app.spec(), "spec.");
                return missing.isEmpty() ? new Applied(apps.apply(app)) : new Waiting(missing);
            }
            case Pipeline p -> {
                if (pipelines.applied(p.name()).filter(p::equals).isPresent()) return new Applied(ApplyResult.UNCHANGED);
                List<FieldError> refused = DatasetAccess.check(p, datasets::declared);
                if (!refused.isEmpty()) {
                    throw new PipelineRefusedException("Pipeline " + p.name() + " names a dataset it may not use",
                            refused);
                }
                List<FieldError> refusedModels = new ArrayList<>();
                for (int i = 0; i < p.spec().steps().size(); i++) {
                    AppSpec t = p.spec().steps().get(i).template();
                    if (t != null) refusedModels.addAll(ModelUses.refusals(p.metadata().tenant(), t,
                            "spec.steps[" + i + "].template.", models::get));
                }
                if (!refusedModels.isEmpty()) {
                    throw new PipelineRefusedException("Pipeline " + p.name() + " uses a model it may not use", refusedModels);
                }
                List<FieldError> missing = new ArrayList<>();
                List<Step> steps = p.spec().steps();
                for (int i = 0; i < steps.size(); i++) {
                    if (steps.get(i).template() != null) missing.addAll(missing(steps.get(i).template(), "spec.steps[" + i + "].template."));
                }
                return missing.isEmpty() ? new Applied(pipelines.apply(p)) : new Waiting(missing);
            }
            case Dataset d -> {
                if (datasets.declared(d.name()).filter(d::equals).isPresent()) return new Applied(ApplyResult.UNCHANGED);
                return new Applied(datasets.apply(d));
            }
            case Secret s -> {
                return new Applied(secrets.apply(s));
            }
            case DeviceGrant g -> {
                return new Applied(grants.apply(g));
            }
            case Model m -> {
                if (models.get(m.name()).filter(m::equals).isPresent()) return new Applied(ApplyResult.UNCHANGED);
                return new Applied(models.apply(m));
            }
        }
    }

    /**
     * Forgets the declaration of dataset {@code name}: its files stay, as an undeclared dataset of the operator.
     * Returns whether it was declared.
     */
    public boolean deleteDataset(String name) {
        return datasets.delete(name);
    }

    /** Forgets Secret {@code name}; whether it was here. */
    public boolean deleteSecret(String name) {
        return secrets.delete(name);
    }

    /** The Dataset {@code name} declared here, if any. */
    public Optional<Dataset> dataset(String name) {
        return datasets.declared(name);
    }

    /** The Secret {@code name} kept here, if any. */
    public Optional<Secret> secret(String name) {
        return secrets.held(name);
    }

    /** The device grant {@code name} applied here, if any. */
    public Optional<DeviceGrant> grant(String name) {
        return grants.applied(name);
    }

    /** Removes device grant {@code name}; whether there was one. */
    public boolean deleteGrant(String name) {
        return grants.delete(name);
    }

    /** This applier, with device grants going to {@code grants}. */
    public Applier withGrants(GrantSide grants) {
        return new Applier(apps, pipelines, datasets, hasImage, secrets, grants, models);
    }

    /** Removes model {@code name}; whether there was one. */
    public boolean deleteModel(String name) {
        return models.delete(name);
    }

    /** The Model {@code name} applied here, if any. */
    public Optional<Model> model(String name) {
        return models.get(name);
    }

    /**
     * Whether the node lacks {@code model}'s file (a content image named by its digest): ground sends the file ahead
     * of the Model, whose change waits for it; the local API takes a Model before its file and shows it not present.
     */
    public boolean lacksFile(Model model) {
        return lacks(model.spec().digest());
    }

    /** This applier, with Models going to {@code models}, and Apps and Pipelines checked against them. */
    public Applier withModels(ModelSide models) {
        return new Applier(apps, pipelines, datasets, hasImage, secrets, grants, models);
    }

    private List<FieldError> missing(AppSpec spec, String prefix) {
        List<FieldError> out = new ArrayList<>();
        if (lacks(spec.image())) out.add(new FieldError(prefix + "image", spec.image(), LACKING));
        if (lacks(spec.initrd())) out.add(new FieldError(prefix + "initrd", spec.initrd(), LACKING));
        return out;
    }

    private boolean lacks(String ref) {
        return ContentRef.looksLikeOne(ref) && !hasImage.test(ref);
    }
}
