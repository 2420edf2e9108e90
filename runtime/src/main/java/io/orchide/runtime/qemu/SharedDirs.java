package io.orchide.runtime.qemu;

import io.orchide.model.AppSpec;
import io.orchide.model.Family;
import io.orchide.model.Mount;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an App's inputs and outputs into 9p shares: inputs must exist on the host and are shared read-only,
 * output directories are created and shared writable. Unikraft mounts them at {@code mountPath} through its fstab,
 * so there {@code mountPath} is required.
 */
public final class SharedDirs {
    /** QEMU limits a 9p mount tag; keep to a safe character set that needs no escaping anywhere. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.-]{1,31}");

    private SharedDirs() {
    }

    public static List<SharedDir> resolve(AppSpec spec, Family family) throws LaunchException {
        if (family == Family.MIRAGE && !(spec.inputs().isEmpty() && spec.outputs().isEmpty())) {
            String field = spec.inputs().isEmpty() ? "spec.outputs" : "spec.inputs";
            throw new LaunchException(field, null, "Solo5 virtio images on qemu have no 9p; use the solo5-hvt or solo5-spt monitor for block devices");
        }
        List<SharedDir> dirs = new ArrayList<>();
        Set<String> tags = new HashSet<>();
        add(dirs, tags, spec.inputs(), "spec.inputs", true, family);
        add(dirs, tags, spec.outputs(), "spec.outputs", false, family);
        return dirs;
    }

    private static void add(List<SharedDir> dirs, Set<String> tags, List<Mount> mounts, String base, boolean input,
                            Family family) throws LaunchException {
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String field = base + "[" + i + "]";
            String id = "fs" + dirs.size();
            String tag = m.name() == null || m.name().isBlank() ? id : m.name();
            if (!TAG.matcher(tag).matches())
                throw new LaunchException(field + ".name", tag, "a 9p mount tag must be 1 to 31 characters of [A-Za-z0-9_.-]");
            if (!tags.add(tag)) throw new LaunchException(field + ".name", tag, "used by another input or output");
            if (m.path() == null || m.path().isBlank()) throw new LaunchException(field + ".path", m.path(), "required");
            Path host = Path.of(m.path()).toAbsolutePath().normalize();
            if (family == Family.UNIKRAFT && (m.mountPath() == null || !m.mountPath().startsWith("/")
                    || m.mountPath().contains(":") || m.mountPath().contains("\"") || m.mountPath().contains(" ")))
                throw new LaunchException(field + ".mountPath", m.mountPath(),
                        "Unikraft needs an absolute guest path without ':', '\"' or blanks");
            if (input) {
                if (!Files.isDirectory(host))
                    throw new LaunchException(field + ".path", m.path(), "input directory does not exist on this node");
                if (!Files.isReadable(host))
                    throw new LaunchException(field + ".path", m.path(), "input directory is not readable");
            } else {
                try {
                    Files.createDirectories(host);
                } catch (IOException e) {
                    throw new LaunchException(field + ".path", m.path(), "cannot create output directory: " + e, e);
                }
            }
            dirs.add(new SharedDir(id, tag, host, m.mountPath(), input, field));
        }
    }
}
