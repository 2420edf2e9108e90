package io.orchide.model.codec;

import io.orchide.model.App;
import io.orchide.model.ContentRef;
import io.orchide.model.AppSpec;
import io.orchide.model.Mount;
import io.orchide.model.Pipeline;
import io.orchide.model.PipelineSpec;
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
        return new App(app.metadata(), resolve(app.spec()));
    }

    /** The pipeline with the paths of its inline templates resolved; output paths stay workspace-relative. */
    public Pipeline resolve(Pipeline pipeline) {
        PipelineSpec s = pipeline.spec();
        List<Step> steps = s.steps().stream().map(st -> st.template() == null ? st
                : new Step(st.name(), st.app(), resolve(st.template()), st.after(), st.when(), st.forEach(),
                        st.inputs(), st.outputs(), st.timeout(), st.retries())).toList();
        return new Pipeline(pipeline.metadata(), new PipelineSpec(s.priority(), s.deadline(), s.preemptible(),
                s.concurrency(), s.triggers(), steps));
    }

    public AppSpec resolve(AppSpec s) {
        return new AppSpec(path(s.image()), path(s.initrd()), s.runtime(), s.args(), s.env(),
                s.resources(), s.restart(), mounts(s.inputs()), mounts(s.outputs()));
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
