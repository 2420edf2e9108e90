package io.orchide.model.codec;

import io.orchide.model.Mount;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code spec.inputs} and {@code spec.outputs}. Names are unique across both lists, as are mount paths;
 * a mount path is absolute, and required unless the monitor attaches mounts as named block devices (Solo5).
 */
public final class MountsReader {
    /** Largest output a node creates, in MiB. */
    public static final int MAX_SIZE_MIB = 1_048_576;

    private final boolean mountPathRequired;
    private final Map<String, String> namesSeen = new HashMap<>();
    private final Map<String, String> mountPathsSeen = new HashMap<>();

    /** @param mountPathRequired false when mounts become block devices named by the mount name */
    public MountsReader(boolean mountPathRequired) {
        this.mountPathRequired = mountPathRequired;
    }

    public List<Mount> read(Cursor list, boolean outputs) {
        List<Mount> mounts = new ArrayList<>();
        for (Cursor item : list.items()) {
            if (!item.present()) {
                item.error("must be a mapping with name, path and mountPath, not null");
                continue;
            }
            if (!item.mapping()) continue;
            Mount m = readOne(item, outputs);
            if (m != null) mounts.add(m);
        }
        return mounts;
    }

    /**
     * Reads {@code spec.secretMounts}: {@code {secret, mountPath}} each, the Secret a DNS label, the mount path
     * absolute and unique among every mount of the App.
     */
    public List<io.orchide.model.SecretMount> readSecretMounts(Cursor list) {
        List<io.orchide.model.SecretMount> out = new ArrayList<>();
        for (Cursor item : list.items()) {
            if (!item.present()) {
                item.error("must be a mapping with secret and mountPath, not null");
                continue;
            }
            if (!item.mapping()) continue;
            item.allowOnly("secret", "mountPath");
            String secret = MetadataReader.dnsLabel(item.field("secret"), true);
            Cursor mountPathField = item.field("mountPath");
            String mountPath = mountPathField.requiredString();
            if (mountPath != null && checkMountPath(mountPathField, mountPath)) unique(mountPathField, mountPath, mountPathsSeen);
            if (secret != null && mountPath != null) out.add(new io.orchide.model.SecretMount(secret, mountPath));
        }
        return out;
    }

    private Mount readOne(Cursor c, boolean output) {
        if (output) c.allowOnly("name", "path", "mountPath", "sizeMiB");
        else c.allowOnly("name", "path", "mountPath");
        Cursor nameField = c.field("name");
        String name = MetadataReader.dnsLabel(nameField, true);
        if (name != null) unique(nameField, name, namesSeen);
        String path = c.field("path").hostPath(true);
        Cursor mountPathField = c.field("mountPath");
        String mountPath = mountPathRequired ? mountPathField.requiredString() : mountPathField.nonEmptyString();
        if (mountPath != null && checkMountPath(mountPathField, mountPath)) {
            unique(mountPathField, mountPath, mountPathsSeen);
        }
        Integer size = output ? c.field("sizeMiB").integer(0, MAX_SIZE_MIB) : null;
        return new Mount(name, path, mountPath, size == null ? 0 : size);
    }

    private static boolean checkMountPath(Cursor c, String mountPath) {
        if (!mountPath.startsWith("/")) {
            c.error("must be an absolute path (start with /)");
            return false;
        }
        if (mountPath.equals("/")) {
            c.error("must not be the root directory /");
            return false;
        }
        for (String part : mountPath.split("/")) {
            if (part.equals("..")) {
                c.error("must not contain '..'");
                return false;
            }
        }
        return true;
    }

    private static void unique(Cursor c, String value, Map<String, String> seen) {
        String first = seen.putIfAbsent(value, c.path());
        if (first != null) c.error("duplicates " + first);
    }
}
