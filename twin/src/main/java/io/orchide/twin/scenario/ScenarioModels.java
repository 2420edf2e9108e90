package io.orchide.twin.scenario;

import io.orchide.image.Digests;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.Metadata;
import io.orchide.model.codec.Cursor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A scenario tenant's {@code models}: each Model manifest, its file and the satellites it is allowed on. */
final class ScenarioModels {
    private ScenarioModels() {
    }

    /**
     * {@code [{manifest: model.yaml, file: model.onnx, satellites: [sat-1]}]}: each manifest one Model of
     * {@code tenant} (or naming none), each file the one its {@code spec.digest} names, each satellite one of the
     * scenario's (checked once they are read, by {@code afterSatellites}); each model named once.
     */
    static List<TenantModel> read(Cursor c, Path dir, String tenant, Set<String> satellites,
                                            List<Runnable> afterSatellites) {
        List<TenantModel> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Cursor m : c.items()) {
            if (!m.mapping()) continue;
            m.allowOnly("manifest", "file", "satellites");
            io.orchide.model.Model model = model(m.field("manifest"), dir, tenant);
            Path manifest = model == null ? null : dir.resolve(m.field("manifest").string()).normalize();
            if (model != null && !names.add(model.name())) {
                m.field("manifest").error("Model " + model.name() + " is listed already for this tenant");
                model = null;
            }
            Path file = existing(m.field("file"), dir);
            if (model != null && file != null) {
                String digest = sha256(m.field("file"), file);
                if (digest == null) {
                    file = null;
                } else if (!digest.equals(model.spec().digest())) {
                    m.field("file").error("holds " + digest + ", not the " + model.spec().digest() + " that Model "
                            + model.name() + "'s spec.digest names");
                    file = null;
                }
            }
            Cursor sats = m.field("satellites");
            List<String> on = sats.stringList();
            if (!sats.present()) sats.missing();
            else if (sats.isList() && on.isEmpty()) sats.error("must name at least one satellite");
            List<Cursor> items = sats.items();
            afterSatellites.add(() -> {
                for (int i = 0; i < items.size() && i < on.size(); i++) {
                    if (!satellites.contains(on.get(i))) items.get(i).error("is not a satellite of this scenario");
                }
            });
            if (new HashSet<>(on).size() != on.size()) sats.error("names a satellite twice");
            if (model != null && file != null && !on.isEmpty()) out.add(new TenantModel(manifest, model, file, on));
        }
        return out;
    }

    /** The one Model of the file {@code c} names, owned by {@code tenant} or by no tenant; null after an error. */
    private static io.orchide.model.Model model(Cursor c, Path dir, String tenant) {
        Path file = existing(c, dir);
        if (file == null) return null;
        List<Manifest> docs;
        try {
            docs = Manifests.parseAll(Files.readString(file), null);
        } catch (ManifestException e) {
            c.error("is not a valid manifest: " + e.errors().get(0));
            return null;
        } catch (IOException e) {
            c.error("cannot be read: " + e.getMessage());
            return null;
        }
        if (docs.size() != 1 || !(docs.get(0) instanceof io.orchide.model.Model model)) {
            c.error("must hold one Model manifest (holds " + String.join(", ", docs.stream().map(Manifest::kind).toList()) + ")");
            return null;
        }
        String named = model.metadata().tenant();
        if (tenant != null && !named.equals(Metadata.DEFAULT_TENANT) && !named.equals(tenant)) {
            c.error("Model " + model.name() + " names tenant " + named + " in its metadata.tenant, but is listed under "
                    + "tenant " + tenant + ": drop metadata.tenant or list it under " + named);
            return null;
        }
        return model;
    }

    /** The regular file {@code c} names, relative to {@code dir}; null (and an error) when there is none. */
    private static Path existing(Cursor c, Path dir) {
        String p = c.hostPath(true);
        if (p == null) return null;
        Path resolved = dir.resolve(p).normalize();
        if (!Files.isRegularFile(resolved)) {
            c.error("no such file: " + resolved);
            return null;
        }
        return resolved;
    }

    /** The digest of {@code file}, as a Model names it; null (and an error at {@code c}) when it cannot be read. */
    private static String sha256(Cursor c, Path file) {
        try (var in = Files.newInputStream(file)) {
            var md = Digests.newSha256();
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return Digests.of(md.digest());
        } catch (IOException e) {
            c.error("cannot be read: " + e.getMessage());
            return null;
        }
    }
}
