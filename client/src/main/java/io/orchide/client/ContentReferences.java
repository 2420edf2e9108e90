package io.orchide.client;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.ContentRef;
import io.orchide.model.Manifest;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rewrites a manifest so that every image it names as a file here is named by its content instead, pushing the file
 * first: an App's {@code image} and {@code initrd}, and those of a Pipeline's inline step templates. A satellite then
 * receives images by the link (only the chunks it lacks) and verifies them before use. A reference that is already
 * {@code sha256:...}, or a path that is no file here (the node's own path, say), is left as it is; so is everything
 * else, the architecture included: the node decides what it does not say. One instance serves one apply: a file or
 * tree that several manifests or steps name is pushed once, at its first use, and named by the same digest after.
 */
public final class ContentReferences {
    private final ImagePusher pusher;
    /** What this apply pushed, by absolute path: a rootfs packs and uploads once however many steps run it. */
    private final Map<Path, String> pushed = new HashMap<>();

    public ContentReferences(ImagePusher pusher) {
        this.pusher = Objects.requireNonNull(pusher, "pusher");
    }

    /** The manifest with its local image files pushed and named by content; the same instance when none was. */
    public Manifest byContent(Manifest manifest) {
        return switch (manifest) {
            case App a -> byContent(a);
            case Pipeline p -> byContent(p);
            case io.orchide.model.Dataset d -> d;
            case io.orchide.model.Secret s -> s;
            case io.orchide.model.DeviceGrant g -> g;
            case io.orchide.model.Model m -> m;
        };
    }

    public App byContent(App app) {
        AppSpec s = byContent(app.spec());
        return s == app.spec() ? app : app.withSpec(s);
    }

    public Pipeline byContent(Pipeline p) {
        List<Step> steps = new ArrayList<>();
        boolean changed = false;
        for (Step st : p.spec().steps()) {
            AppSpec t = st.template() == null ? null : byContent(st.template());
            changed |= t != st.template();
            steps.add(t == st.template() ? st : st.withTemplate(t));
        }
        return changed ? p.withSpec(p.spec().withSteps(steps)) : p;
    }

    private AppSpec byContent(AppSpec s) {
        // a container's root filesystem directory travels as its archive; any other image as the file it is
        String image = s.runsOnHost() && isLocal(s.image()) && Files.isDirectory(Path.of(s.image()))
                ? once(Path.of(s.image()), pusher::pushTree) : file(s.image());
        String initrd = file(s.initrd());
        if (Objects.equals(image, s.image()) && Objects.equals(initrd, s.initrd())) return s;
        return s.withImages(image, initrd);
    }

    private String file(String path) {
        if (!isLocal(path) || !Files.isRegularFile(Path.of(path))) return path;
        return once(Path.of(path), pusher::pushFile);
    }

    private String once(Path p, java.util.function.Function<Path, String> push) {
        Path key = p.toAbsolutePath().normalize();
        String done = pushed.get(key);
        if (done != null) return done;
        String digest = push.apply(p);
        pushed.put(key, digest);
        return digest;
    }

    private static boolean isLocal(String path) {
        return path != null && !ContentRef.looksLikeOne(path);
    }
}
