package io.orchide.runtime.oci;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Mount;
import io.orchide.runtime.DeviceNode;
import io.orchide.runtime.HostDevice;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.image.ImageConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime configuration (runtime-spec 1.0.2 {@code config.json}) of an App: runc's default mounts, masked
 * and read-only paths, new pid/ipc/uts/mount/network namespaces (the network one holds only loopback), memory,
 * pids and CPU limits, inputs bound read-only and outputs read-write.
 */
public final class OciSpec {
    public static final String OCI_VERSION = "1.0.2";
    public static final long PIDS_LIMIT = 1024;
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long CPU_PERIOD = 100_000;
    private static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi");
    private static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private OciSpec() {
    }

    /**
     * Builds the configuration; {@code image} (nullable) supplies default args, env and working directory.
     * Creates output directories on the host; throws naming the manifest field at fault.
     */
    public static Map<String, Object> build(App app, Path rootfs, ImageConfig image, String containerId)
            throws LaunchException {
        return build(app, rootfs, image, containerId, List.of());
    }

    /**
     * As {@link #build(App, Path, ImageConfig, String)}, giving the container {@code devices}: each created in it (at
     * its own path under /dev, see {@link HostDevice#guestPath}) and allowed by its device cgroup, which denies every
     * other device.
     */
    public static Map<String, Object> build(App app, Path rootfs, ImageConfig image, String containerId,
                                            List<DeviceNode> devices) throws LaunchException {
        AppSpec spec = app.spec();
        List<String> args = !spec.args().isEmpty() ? spec.args() : image == null ? List.of() : image.defaultArgs();
        if (args.isEmpty()) {
            throw new LaunchException("spec.args", null, "is empty and the image names no Entrypoint or Cmd");
        }
        Map<String, String> env = new LinkedHashMap<>();
        putEnv(env, DEFAULT_PATH);
        if (image != null) image.env().forEach(e -> putEnv(env, e));
        env.putAll(spec.env());
        Path root = realRootfs(rootfs);
        String cwd = image != null && image.workingDir() != null && !image.workingDir().isBlank()
                ? image.workingDir() : "/";

        Map<String, Object> process = map(
                "terminal", false,
                "user", map("uid", 0, "gid", 0),
                "args", args,
                "env", env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                "cwd", cwd,
                "capabilities", map("bounding", CAPABILITIES, "effective", CAPABILITIES, "permitted", CAPABILITIES),
                "rlimits", List.of(map("type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024)),
                "noNewPrivileges", true);
        long quota = Math.max(1, spec.resources().vcpus()) * CPU_PERIOD;
        List<Object> deviceRules = new ArrayList<>(List.of(map("allow", false, "access", "rwm")));
        List<Object> linuxDevices = new ArrayList<>();
        for (DeviceNode d : devices) {
            String type = String.valueOf(d.type());
            deviceRules.add(map("allow", true, "type", type, "major", d.major(), "minor", d.minor(), "access", "rwm"));
            linuxDevices.add(map("path", HostDevice.guestPath(d.path()), "type", type, "major", d.major(),
                    "minor", d.minor(), "fileMode", d.fileMode(), "uid", 0, "gid", 0));
        }
        Map<String, Object> resources = map(
                "devices", deviceRules,
                "memory", map("limit", spec.resources().memoryMiB() * 1024L * 1024L),
                "pids", map("limit", PIDS_LIMIT),
                "cpu", map("quota", quota, "period", CPU_PERIOD));
        Map<String, Object> linux = map(
                "namespaces", List.of(map("type", "pid"), map("type", "network"), map("type", "ipc"),
                        map("type", "uts"), map("type", "mount")),
                "resources", resources,
                "devices", linuxDevices,
                "cgroupsPath", "/orchide/" + containerId,
                "maskedPaths", MASKED,
                "readonlyPaths", READONLY);
        return map(
                "ociVersion", OCI_VERSION,
                "process", process,
                "root", map("path", root.toString(), "readonly", false),
                "hostname", hostname(app.name()),
                "mounts", mounts(spec),
                "linux", linux);
    }

    /** runc refuses a root path that goes through a symlink ("not an absolute path, or a symlink"). */
    private static Path realRootfs(Path rootfs) throws LaunchException {
        try {
            return rootfs.toRealPath();
        } catch (IOException e) {
            throw new LaunchException("spec.image", rootfs.toString(), "cannot resolve the root filesystem: " + e, e);
        }
    }

    private static List<Object> mounts(AppSpec spec) throws LaunchException {
        List<Object> m = new ArrayList<>(List.of(
                mount("/proc", "proc", "proc", List.of()),
                mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"))));
        for (int i = 0; i < spec.inputs().size(); i++) {
            m.add(bind(spec.inputs().get(i), "spec.inputs[" + i + "]", false));
        }
        for (int i = 0; i < spec.outputs().size(); i++) {
            m.add(bind(spec.outputs().get(i), "spec.outputs[" + i + "]", true));
        }
        return m;
    }

    private static Map<String, Object> bind(Mount mount, String field, boolean writable) throws LaunchException {
        if (mount.path() == null || mount.path().isBlank()) {
            throw new LaunchException(field + ".path", mount.path(), "is required");
        }
        String dest = mount.mountPath();
        if (dest == null || !dest.startsWith("/") || List.of(dest.split("/")).contains("..")) {
            throw new LaunchException(field + ".mountPath", dest, "must be an absolute path without ..");
        }
        Path host = Path.of(mount.path()).toAbsolutePath();
        if (writable) {
            try {
                Files.createDirectories(host);
            } catch (IOException e) {
                throw new LaunchException(field + ".path", mount.path(), "cannot create: " + e.getMessage(), e);
            }
        } else if (!Files.exists(host)) {
            throw new LaunchException(field + ".path", mount.path(), "does not exist");
        }
        List<String> options = writable ? List.of("rbind", "rw", "nosuid", "nodev")
                : List.of("rbind", "ro", "nosuid", "nodev");
        return mount(dest, "bind", host.toString(), options);
    }

    private static Map<String, Object> mount(String dest, String type, String source, List<String> options) {
        Map<String, Object> m = map("destination", dest, "type", type, "source", source);
        if (!options.isEmpty()) m.put("options", options);
        return m;
    }

    private static void putEnv(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }

    static String hostname(String name) {
        String h = name == null ? "orchide" : name.toLowerCase().replaceAll("[^a-z0-9-]", "-");
        return h.isEmpty() ? "orchide" : h.length() > 63 ? h.substring(0, 63) : h;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
