package io.orchide.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A manifest of {@code kind: Pipeline}: a DAG of steps, its triggers, its priority and deadline. */
public record Pipeline(Metadata metadata, PipelineSpec spec) implements Manifest {
    public static final String API_VERSION = App.API_VERSION;
    public static final String KIND = "Pipeline";

    @Override
    public String kind() {
        return KIND;
    }

    /** A copy with {@code spec} in place of this Pipeline's. */
    public Pipeline withSpec(PipelineSpec spec) {
        return new Pipeline(metadata, spec);
    }

    /** The step named {@code name}, if there is one. */
    public Optional<Step> step(String name) {
        return spec.steps().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The steps in an order in which each comes after every step of its {@code after}; among steps free to go,
     * the one written first comes first.
     *
     * @throws IllegalStateException if the steps form a cycle (never for a pipeline that was read and checked)
     */
    public List<Step> topologicalOrder() {
        Map<String, Step> byName = new LinkedHashMap<>();
        spec.steps().forEach(s -> byName.put(s.name(), s));
        return Dag.topologicalOrder(graph()).stream().map(byName::get).toList();
    }

    /** The names of the steps {@code name} depends on, directly or through other steps. */
    public Set<String> ancestors(String name) {
        return Dag.ancestors(graph(), name);
    }

    /** Each step's name mapped to its {@code after}, in document order. */
    public Map<String, List<String>> graph() {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        spec.steps().forEach(s -> graph.put(s.name(), s.after()));
        return graph;
    }
}
