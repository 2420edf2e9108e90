package io.orchide.ground.api;

import io.orchide.ground.desired.DesiredObject;
import io.orchide.ground.desired.DesiredState;
import io.orchide.model.message.DesiredChange;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tenant owns what a satellite reports, from its desired state (deleted objects included: a name keeps its
 * tenant): an App's workloads by the App's name, a pipeline's runs and their steps' workloads
 * ({@code <pipeline>-<6 digits>[-<step>...]}) by the pipeline's, node events about {@code App/<name>} or
 * {@code Pipeline/<name>} or {@code Dataset/<name>} by that object's. Null where nothing says: such records are the fleet's, shown to
 * fleet-wide roles only.
 */
final class Owners {
    private final Map<String, String> apps = new HashMap<>();
    private final Map<String, String> pipelines = new HashMap<>();
    private final Map<String, String> datasets = new HashMap<>();
    private final Map<String, String> datasetManifests = new HashMap<>();
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, String> secretManifests = new HashMap<>();
    private final Map<String, String> grants = new HashMap<>();
    private final Map<String, String> models = new HashMap<>();

    private Owners(List<DesiredObject> objects) {
        for (DesiredObject d : objects) {
            Map<String, String> names = switch (d.kind()) {
                case DesiredChange.APP -> apps;
                case DesiredChange.DATASET -> datasets;
                case DesiredChange.SECRET -> secrets;
                case DesiredChange.DEVICE_GRANT -> grants;
                case DesiredChange.MODEL -> models;
                default -> pipelines;
            };
            names.put(d.name(), d.tenant());
            if (d.kind().equals(DesiredChange.SECRET) && d.manifest() != null) secretManifests.put(d.name(), d.manifest());
            if (d.kind().equals(DesiredChange.DATASET) && d.manifest() != null) {
                datasetManifests.put(d.name(), d.manifest());
            }
        }
    }

    static Owners of(DesiredState desired, String satellite) {
        return new Owners(desired.list(satellite, true));
    }

    String app(String name) { return apps.get(name); }

    String pipeline(String name) { return pipelines.get(name); }

    /** The Dataset {@code name} declared in the desired state (not deleted), or null. */
    io.orchide.model.Dataset dataset(String name) {
        String json = datasetManifests.get(name);
        if (json == null) return null;
        try {
            return io.orchide.model.Manifests.parseDataset(json);
        } catch (io.orchide.model.ManifestException e) {
            throw new IllegalStateException("stored Dataset " + name + " is not valid: " + e.getMessage(), e);
        }
    }

    /** The Secret {@code name} in the desired state (sealed; not deleted), or null. */
    io.orchide.model.Secret secret(String name) {
        String json = secretManifests.get(name);
        if (json == null) return null;
        try {
            return io.orchide.model.Manifests.parseSecret(json);
        } catch (io.orchide.model.ManifestException e) {
            throw new IllegalStateException("stored Secret " + name + " is not valid: " + e.getMessage(), e);
        }
    }

    String of(String kind, String name) {
        return switch (kind) {
            case DesiredChange.APP -> app(name);
            case DesiredChange.DATASET -> datasets.get(name);
            case DesiredChange.SECRET -> secrets.get(name);
            case DesiredChange.DEVICE_GRANT -> grants.get(name);
            case DesiredChange.MODEL -> models.get(name);
            default -> pipeline(name);
        };
    }

    /** The tenant of a workload: its App's, or the pipeline's whose run it is a step of. */
    String workload(String name) {
        String t = apps.get(name);
        if (t != null) return t;
        for (var e : pipelines.entrySet()) {
            if (isRunOf(name, e.getKey())) return e.getValue();
        }
        return null;
    }

    /** Whether {@code name} is a run of {@code pipeline} ({@code <pipeline>-NNNNNN}) or something of one of its runs. */
    private static boolean isRunOf(String name, String pipeline) {
        int p = pipeline.length();
        if (!name.startsWith(pipeline) || name.length() < p + 7 || name.charAt(p) != '-') return false;
        for (int i = p + 1; i < p + 7; i++) if (!Character.isDigit(name.charAt(i))) return false;
        return name.length() == p + 7 || name.charAt(p + 7) == '-';
    }

    /** The tenant a node event is about ({@code App/<name>}, {@code Pipeline/<name>}), or null. */
    String subject(String subject) {
        int i = subject.indexOf('/');
        if (i < 0) return null;
        String kind = subject.substring(0, i), name = subject.substring(i + 1);
        if (kind.equals(DesiredChange.APP)) return app(name);
        if (kind.equals(DesiredChange.PIPELINE)) return pipeline(name);
        if (kind.equals(DesiredChange.DATASET)) return datasets.get(name);
        return null;
    }
}
