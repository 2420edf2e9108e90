package io.orchide.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.AppWriter;
import io.orchide.model.codec.DatasetManifestWriter;
import io.orchide.model.codec.Errors;
import io.orchide.model.codec.FieldPath;
import io.orchide.model.codec.ManifestReader;
import io.orchide.model.codec.PathResolver;
import io.orchide.model.codec.PipelineWriter;
import io.orchide.model.codec.TreeParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads, writes and validates manifests. Reading reports every problem at once, each as a {@link FieldError}
 * naming the field path and the value found, in one {@link ManifestException}.
 */
public final class Manifests {
    private static final ManifestReader APPS =
            new ManifestReader(ManifestReader.kinds(ManifestReader.ALL_KINDS.get(App.KIND)));
    private static final ManifestReader PIPELINES =
            new ManifestReader(ManifestReader.kinds(ManifestReader.ALL_KINDS.get(Pipeline.KIND)));
    private static final ManifestReader DATASETS =
            new ManifestReader(ManifestReader.kinds(ManifestReader.ALL_KINDS.get(Dataset.KIND)));
    private static final ManifestReader SECRETS =
            new ManifestReader(ManifestReader.kinds(ManifestReader.ALL_KINDS.get(Secret.KIND)));
    private static final ManifestReader GRANTS =
            new ManifestReader(ManifestReader.kinds(ManifestReader.ALL_KINDS.get(DeviceGrant.KIND)));
    private static final ManifestReader MODELS =
            new ManifestReader(ManifestReader.kinds(ManifestReader.ALL_KINDS.get(Model.KIND)));
    private static final ManifestReader ANY = new ManifestReader(ManifestReader.ALL_KINDS);

    private Manifests() {
    }

    /**
     * Parses one App manifest, YAML or JSON.
     *
     * @param nodeArch the arch of the node the App is for: monitors that run only the node's own arch are checked
     *                 against it (null skips that). An absent {@code spec.runtime.arch} stays absent: the node's
     *                 driver takes it from the image
     */
    public static App parseApp(String text, Arch nodeArch) throws ManifestException {
        return (App) parseOne(APPS, text, nodeArch);
    }

    /**
     * Parses one Pipeline manifest, YAML or JSON, checking its steps against each other (names, after, cycles,
     * data flow, when) and each inline template as an App spec.
     *
     * @param nodeArch as for {@link #parseApp}, applied to the inline templates
     */
    public static Pipeline parsePipeline(String text, Arch nodeArch) throws ManifestException {
        return (Pipeline) parseOne(PIPELINES, text, nodeArch);
    }

    /** Parses one Secret manifest, YAML or JSON (its data, or its sealed form). */
    public static Secret parseSecret(String text) throws ManifestException {
        return (Secret) parseOne(SECRETS, text, null);
    }

    /** Parses one Dataset manifest, YAML or JSON. */
    public static Dataset parseDataset(String text) throws ManifestException {
        return (Dataset) parseOne(DATASETS, text, null);
    }

    /** Parses one DeviceGrant manifest, YAML or JSON. */
    public static DeviceGrant parseDeviceGrant(String text) throws ManifestException {
        return (DeviceGrant) parseOne(GRANTS, text, null);
    }

    /** Parses one Model manifest, YAML or JSON. */
    public static Model parseModel(String text) throws ManifestException {
        return (Model) parseOne(MODELS, text, null);
    }

    private static Manifest parseOne(ManifestReader reader, String text, Arch nodeArch) throws ManifestException {
        List<JsonNode> docs = TreeParser.documents(text);
        if (docs.size() > 1) {
            throw new ManifestException(new FieldError("", String.valueOf(docs.size()),
                    "expected one document, found several"));
        }
        Errors errors = new Errors();
        Manifest manifest = reader.read(docs.isEmpty() ? null : docs.get(0), "", nodeArch, errors);
        errors.throwIfAny();
        return manifest;
    }

    /**
     * Parses a stream of YAML documents separated by {@code ---} (empty documents are skipped), of any known kind
     * ({@link App}, {@link Pipeline}, {@link Dataset}).
     * Errors are reported for all documents at once. In a stream of several documents each path starts with the
     * document's index, e.g. {@code [1].spec.image}; a stream of one document reports its paths as {@link #parseApp}
     * does ({@code spec.image}), whatever other documents' errors there are not.
     */
    public static List<Manifest> parseAll(String text, Arch nodeArch) throws ManifestException {
        List<JsonNode> docs = TreeParser.documents(text);
        Errors errors = new Errors();
        List<Manifest> result = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            String prefix = docs.size() == 1 ? "" : FieldPath.index("", i);
            result.add(ANY.read(docs.get(i), prefix, nodeArch, errors));
        }
        errors.throwIfAny();
        return List.copyOf(result);
    }


    /** The manifest as compact JSON in the manifest wire shape, defaults written out. */
    public static String toJson(Manifest manifest) {
        return switch (manifest) {
            case App a -> AppWriter.toJson(a);
            case Pipeline p -> PipelineWriter.toJson(p);
            case Dataset d -> DatasetManifestWriter.toJson(d);
            case Secret s -> io.orchide.model.codec.SecretWriter.toJson(s);
            case DeviceGrant g -> io.orchide.model.codec.DeviceGrantWriter.toJson(g);
            case Model m -> io.orchide.model.codec.ModelWriter.toJson(m);
        };
    }

    /** The manifest as YAML in the manifest wire shape, defaults written out. */
    public static String toYaml(Manifest manifest) {
        return switch (manifest) {
            case App a -> AppWriter.toYaml(a);
            case Pipeline p -> PipelineWriter.toYaml(p);
            case Dataset d -> DatasetManifestWriter.toYaml(d);
            case Secret s -> io.orchide.model.codec.SecretWriter.toYaml(s);
            case DeviceGrant g -> io.orchide.model.codec.DeviceGrantWriter.toYaml(g);
            case Model m -> io.orchide.model.codec.ModelWriter.toYaml(m);
        };
    }

    /** As {@link #resolvePaths(App, Path)}, for either kind (a Pipeline's step templates). */
    public static Manifest resolvePaths(Manifest manifest, Path baseDir) {
        return switch (manifest) {
            case App a -> resolvePaths(a, baseDir);
            case Pipeline p -> resolvePaths(p, baseDir);
            case Dataset d -> d;
            case Secret s -> s;
            case DeviceGrant g -> g;
            case Model m -> m;
        };
    }

    /** The App as compact JSON in the manifest wire shape, defaults written out. */
    public static String toJson(App app) {
        return AppWriter.toJson(app);
    }

    /** The App as YAML in the manifest wire shape, defaults written out. */
    public static String toYaml(App app) {
        return AppWriter.toYaml(app);
    }

    /**
     * Reads an App written by {@link #toJson}, checking it as {@link #parseApp} does without a node arch.
     *
     * @throws IllegalArgumentException whose cause is the {@link ManifestException} when the JSON is not a valid App
     */
    public static App fromJson(String json) {
        try {
            return parseApp(json, null);
        } catch (ManifestException e) {
            throw new IllegalArgumentException("not a valid App: " + e.getMessage(), e);
        }
    }

    /**
     * A copy of {@code app} whose image, initrd and mount host paths are absolute: relative ones are resolved
     * against {@code baseDir} (normally the manifest file's directory) and normalised. Pure path arithmetic.
     */
    public static App resolvePaths(App app, Path baseDir) {
        return new PathResolver(baseDir).resolve(app);
    }

    /** The Pipeline as compact JSON in the manifest wire shape, defaults written out. */
    public static String toJson(Pipeline pipeline) {
        return PipelineWriter.toJson(pipeline);
    }

    /** The Pipeline as YAML in the manifest wire shape, defaults written out. */
    public static String toYaml(Pipeline pipeline) {
        return PipelineWriter.toYaml(pipeline);
    }

    /**
     * Reads a Pipeline written by {@link #toJson(Pipeline)}, checking it as {@link #parsePipeline} does without a
     * node arch.
     *
     * @throws IllegalArgumentException whose cause is the {@link ManifestException} when the JSON is not valid
     */
    public static Pipeline pipelineFromJson(String json) {
        try {
            return parsePipeline(json, null);
        } catch (ManifestException e) {
            throw new IllegalArgumentException("not a valid Pipeline: " + e.getMessage(), e);
        }
    }

    /**
     * A copy of {@code pipeline} whose inline templates have absolute image, initrd and mount host paths, as
     * {@link #resolvePaths(App, Path)} does for an App. Output paths stay relative to the step's workspace.
     */
    public static Pipeline resolvePaths(Pipeline pipeline, Path baseDir) {
        return new PathResolver(baseDir).resolve(pipeline);
    }
}
