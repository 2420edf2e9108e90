package io.orchide.model.codec;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Mount;

import java.nio.file.Path;
import java.util.List;

/** Makes the paths of an App absolute against a base directory, by path arithmetic alone (no file is touched). */
public final class PathResolver {
    private final Path base;

    /** @param baseDir where relative paths are taken from; if relative itself, it is taken from the working directory */
    public PathResolver(Path baseDir) {
        this.base = baseDir.toAbsolutePath().normalize();
    }

    public App resolve(App app) {
        AppSpec s = app.spec();
        AppSpec resolved = new AppSpec(path(s.image()), path(s.initrd()), s.runtime(), s.args(), s.env(),
                s.resources(), s.restart(), mounts(s.inputs()), mounts(s.outputs()));
        return new App(app.metadata(), resolved);
    }

    /** {@code p} made absolute and normalised; null stays null. */
    public String path(String p) {
        return p == null ? null : base.resolve(p).normalize().toString();
    }

    private List<Mount> mounts(List<Mount> mounts) {
        return mounts.stream().map(m -> new Mount(m.name(), path(m.path()), m.mountPath(), m.sizeMiB())).toList();
    }
}
