package io.orchide.node.image;

import io.orchide.image.ImageException;
import io.orchide.image.ImageManifest;
import io.orchide.image.ManifestDelta;
import io.orchide.image.ImageStore;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.ContentRef;
import io.orchide.model.ManifestException;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.image.RootfsArchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node's content-addressed images ({@code <data>/images}): image manifests and chunks as ground sends them,
 * assembled into whole images once every chunk is here, and the resolution of an App's {@code sha256:} image
 * reference to its file, re-verified against the digest before each use. A container's image that is a root
 * filesystem archive ({@link RootfsArchive}) resolves to its tree, unpacked once under {@code trees/<hex>/}.
 */
public final class ContentImages {
    private final ImageStore store;
    private final Path manifests;
    private final Path trees;

    public ContentImages(Path dir) throws IOException {
        this.store = new ImageStore(dir);
        this.manifests = dir.resolve("manifests");
        this.trees = dir.resolve("trees");
        Files.createDirectories(manifests);
    }

    public ImageStore store() { return store; }

    /** Whether the image {@code ref} names is here, whole. */
    public boolean has(String ref) {
        return ContentRef.hex(ref).flatMap(h -> store.path(ref)).isPresent();
    }

    /**
     * Keeps an image's manifest (so chunks arriving later can complete it, and so a later version can be sent as a
     * delta against it); true when an image is now whole. The payload is the manifest in binary, a delta against a
     * manifest kept here, or JSON.
     */
    public boolean manifest(byte[] payload) throws ManifestException, IOException {
        ImageManifest m = decode(payload);
        Path file = manifestFile(m.digest());
        if (!Files.exists(file)) {
            Path tmp = Files.createTempFile(manifests, "manifest-", ".part");
            Files.write(tmp, m.toBinary());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        return assembleReady();
    }

    private ImageManifest decode(byte[] payload) throws ManifestException, IOException {
        if (payload.length > 0 && payload[0] == '{') return ImageManifest.fromJson(payload);
        if (payload.length >= 3 && payload[0] == 'O' && payload[1] == 'M' && payload[2] == 'D') {
            String base = ManifestDelta.baseDigest(payload);
            Optional<ImageManifest> held = kept(base);
            if (held.isEmpty()) {
                throw new ImageException("base", base, "the delta's base manifest is not on this node");
            }
            return ManifestDelta.apply(payload, held.get());
        }
        return ImageManifest.fromBinary(payload);
    }

    private Optional<ImageManifest> kept(String digest) throws IOException {
        Path f = manifestFile(digest);
        return Files.exists(f) ? Optional.of(ImageManifest.fromBinary(Files.readAllBytes(f))) : Optional.empty();
    }

    private Path manifestFile(String digest) {
        return manifests.resolve(digest.substring(ContentRef.PREFIX.length()) + ".bin");
    }

    /** Stores a pack of chunks (checked whole first); true when an image is now whole. */
    public boolean chunks(byte[] pack) throws IOException {
        store.putPack(pack);
        return assembleReady();
    }

    /** Assembles every kept manifest whose chunks are all here; true when at least one image became whole. */
    private boolean assembleReady() throws IOException {
        boolean any = false;
        List<Path> files;
        try (var s = Files.list(manifests)) {
            files = s.filter(p -> p.toString().endsWith(".bin")).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            String digest = ContentRef.PREFIX + name.substring(0, name.length() - ".bin".length());
            if (store.path(digest).isPresent()) continue; // whole already: its manifest stays as a base for deltas
            ImageManifest m = ImageManifest.fromBinary(Files.readAllBytes(f));
            if (!store.missing(m).isEmpty()) continue;
            store.assemble(m);
            any = true;
        }
        return any;
    }

    /** The chunk digests held, for ground's picture of this node (it sends only what is missing). */
    public List<String> heldChunks() {
        try {
            return new ArrayList<>(store.heldChunks());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The App with its {@code sha256:} image and initrd replaced by their files here, each re-hashed first; other
     * Apps unchanged. An image not here, or whose file no longer hashes to its name, refuses the launch.
     */
    public App resolve(App app) throws LaunchException {
        AppSpec s = app.spec();
        String image = file("spec.image", s.image());
        if (s.runsOnHost() && !image.equals(s.image())) image = tree(s.image(), Path.of(image));
        String initrd = file("spec.initrd", s.initrd());
        if (image.equals(s.image()) && java.util.Objects.equals(initrd, s.initrd())) return app;
        return app.withSpec(s.withImages(image, initrd));
    }

    /** The tree of a root filesystem archive, unpacked once; any other file as it is. */
    private String tree(String ref, Path file) throws LaunchException {
        try {
            if (!RootfsArchive.isArchive(file)) return file.toString();
            Path dir = trees.resolve(ContentRef.hex(ref).orElseThrow());
            RootfsArchive.unpackOnce(file, dir, ref);
            return dir.toString();
        } catch (IOException e) {
            throw new LaunchException("spec.image", ref, "cannot unpack the root filesystem: " + e.getMessage(), e);
        }
    }

    private String file(String field, String ref) throws LaunchException {
        if (!ContentRef.looksLikeOne(ref)) return ref;
        Optional<Path> p = store.path(ref);
        if (p.isEmpty()) throw new LaunchException(field, ref, "image not on this node (not yet received from ground)");
        try {
            if (!store.verify(ref)) throw new LaunchException(field, ref, "image file " + p.get() + " no longer matches its digest");
        } catch (IOException e) {
            throw new LaunchException(field, ref, "cannot verify image: " + e.getMessage(), e);
        }
        return p.get().toString();
    }
}
