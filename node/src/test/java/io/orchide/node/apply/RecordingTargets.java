package io.orchide.node.apply;

import io.orchide.model.App;
import io.orchide.model.Dataset;
import io.orchide.model.Pipeline;
import io.orchide.node.workload.ApplyResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where an {@link Applier} sends manifests, as maps that record what reached them, and a set of stored images. */
public final class RecordingTargets {
    public final List<String> applied = new ArrayList<>();
    public final Set<String> stored = new HashSet<>();
    private final Map<String, App> apps = new HashMap<>();
    private final Map<String, Pipeline> pipelines = new HashMap<>();
    public final Map<String, Dataset> datasets = new HashMap<>();

    public Applier applier() {
        return new Applier(new Applier.Apps() {
            @Override
            public Optional<App> applied(String name) {
                return Optional.ofNullable(apps.get(name));
            }

            @Override
            public ApplyResult apply(App app) {
                applied.add("App " + app.name());
                return apps.put(app.name(), app) == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
            }
        }, new Applier.PipelineSide() {
            @Override
            public Optional<Pipeline> applied(String name) {
                return Optional.ofNullable(pipelines.get(name));
            }

            @Override
            public ApplyResult apply(Pipeline p) {
                applied.add("Pipeline " + p.name());
                return pipelines.put(p.name(), p) == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
            }
        }, new Applier.DatasetSide() {
            @Override
            public Optional<Dataset> declared(String name) {
                return Optional.ofNullable(datasets.get(name));
            }

            @Override
            public ApplyResult apply(Dataset d) {
                applied.add("Dataset " + d.name());
                return datasets.put(d.name(), d) == null ? ApplyResult.CREATED : ApplyResult.CONFIGURED;
            }

            @Override
            public boolean delete(String name) {
                applied.add("delete Dataset " + name);
                return datasets.remove(name) != null;
            }
        }, stored::contains);
    }
}
