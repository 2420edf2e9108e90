package io.orchide.model.codec;

import io.orchide.model.App;
import io.orchide.model.ContentRef;
import io.orchide.model.AppSpec;
import io.orchide.model.Mount;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;

import java.nio.file.Path;
import java.util.List;

/** Makes the paths of an App (or of a Pipeline's inline templates) absolute against a base directory, by path arithmetic alone (no file is touched). */
public final class PathResolver {
    private final Path base;

    /** @param baseDir where relative paths are taken from; if relative itself, it is taken from the working directory */
    public PathResolver(Path baseDir) {
        this.base = baseDir.toAbsolutePath().normalize();
    }

    public App resolve(App app) {
        return app.withSpec(resolve(app.spec()));
    }

    /** The pipeline with the paths of its inline templates resolved; output paths stay workspace-relative. */
    public Pipeline resolve(Pipeline pipeline) {
        List<Step> steps = pipeline.spec().steps().stream()
                .map(st -> st.template() == null ? st : st.withTemplate(resolve(st.template()))).toList();
        return pipeline.withSpec(pipeline.spec().withSteps(steps));
    }

    public AppSpec resolve(AppSpec s) {
        return s.withImages(path(s.image()), path(s.initrd())).withMounts(mounts(s.inputs()), mounts(s.outputs()));
    }

    /** {@code p} made absolute and normalised; null stays null. */
    public String path(String p) {
        if (p == null || ContentRef.looksLikeOne(p)) return p; // named by content: the node's image store has it
        return base.resolve(p).normalize().toString();
    }

    private List<Mount> mounts(List<Mount> mounts) {
        return mounts.stream().map(m -> new Mount(m.name(), path(m.path()), m.mountPath(), m.sizeMiB())).toList();
    }
}
