package io.orchide.runtime.oci;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Metadata;
import io.orchide.model.Monitor;
import io.orchide.runtime.JsonFiles;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.process.Exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Says whether runc or crun works here by running a trivial container (a static busybox running {@code true}),
 * because version strings cannot tell (crun 1.8 refuses hybrid cgroup hosts). The verdict is cached in the state
 * directory per binary and version.
 */
final class OciProbe {
    private static final List<Path> BUSYBOX = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

    private OciProbe() {
    }

    static Probe probe(Monitor monitor, Optional<Path> binary, Path stateDir) {
        String name = monitor.wire();
        if (binary.isEmpty()) return new Probe(name, false, name + " not found on PATH", Map.of());
        String bin = binary.get().toString();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("binary", bin);
        Exec.Result version = Exec.run(List.of(bin, "--version"), Duration.ofSeconds(5));
        if (!version.ok()) return new Probe(name, false, "unavailable: " + version.firstLine(), details);
        details.put("version", version.firstLine());
        details.put("cgroup", Cgroups.detect().label());
        details.put("rootless", Boolean.toString(!"root".equals(System.getProperty("user.name"))));
        Verdict v = cached(monitor, bin, version.firstLine(), stateDir);
        details.put("tried", v.tried() ? "yes" : "no");
        return new Probe(name, v.ok(), v.reason(), details);
    }

    private record Verdict(boolean ok, boolean tried, String reason) {
    }

    private static Verdict cached(Monitor monitor, String bin, String version, Path stateDir) {
        Path dir = stateDir.resolve("probe");
        Path cache = dir.resolve(monitor.wire() + ".properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(cache)) {
            p.load(r);
            if (bin.equals(p.getProperty("binary")) && version.equals(p.getProperty("version"))) {
                return new Verdict(Boolean.parseBoolean(p.getProperty("ok")), true, p.getProperty("reason"));
            }
        } catch (IOException e) {
            // no cache yet
        }
        Verdict v = trial(monitor, bin, dir);
        if (!v.tried()) return v;
        p.clear();
        p.setProperty("binary", bin);
        p.setProperty("version", version);
        p.setProperty("ok", Boolean.toString(v.ok()));
        p.setProperty("reason", v.reason());
        try (Writer w = Files.newBufferedWriter(cache)) {
            p.store(w, "orchide probe of " + monitor.wire());
        } catch (IOException e) {
            // uncached: probed again next time
        }
        return v;
    }

    private static Verdict trial(Monitor monitor, String bin, Path dir) {
        Optional<Path> busybox = BUSYBOX.stream().filter(OciProbe::isStaticElf).findFirst();
        if (busybox.isEmpty()) return new Verdict(true, false, "not tried: no static busybox to try with");
        Path bundle = dir.resolve(monitor.wire() + "-bundle");
        Path root = dir.resolve(monitor.wire() + "-root");
        String id = "orchide-probe-" + monitor.wire() + "-" + ProcessHandle.current().pid();
        try {
            Files.createDirectories(bundle.resolve("rootfs/bin"));
            Files.copy(busybox.get(), bundle.resolve("rootfs/bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
            App app = new App(new Metadata("probe", null, null), new AppSpec(bundle.resolve("rootfs").toString(),
                    null, null, List.of("/bin/busybox", "true"), null, null, null, null, null));
            JsonFiles.write(bundle.resolve("config.json"), OciSpec.build(app, bundle.resolve("rootfs"), null, id),
                    false);
        } catch (IOException | LaunchException e) {
            return new Verdict(false, false, "not tried: " + e.getMessage());
        }
        Exec.Result r = Exec.run(List.of(bin, "--root", root.toString(), "run", "--bundle", bundle.toString(), id),
                Duration.ofSeconds(20));
        Exec.run(List.of(bin, "--root", root.toString(), "delete", "--force", id), Duration.ofSeconds(10));
        return r.ok() ? new Verdict(true, true, "runs containers (cgroup " + Cgroups.detect().label() + ")")
                : new Verdict(false, true, "unavailable: " + r.firstLine());
    }

    /** Whether {@code p} is a 64-bit little-endian ELF executable without a program interpreter. */
    static boolean isStaticElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            ByteBuffer b = ByteBuffer.wrap(in.readNBytes(64 * 1024)).order(ByteOrder.LITTLE_ENDIAN);
            if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) return false;
            long phoff = b.getLong(32);
            int phentsize = Short.toUnsignedInt(b.getShort(54));
            int phnum = Short.toUnsignedInt(b.getShort(56));
            for (int i = 0; i < phnum; i++) {
                long off = phoff + (long) i * phentsize;
                if (off + 4 > b.limit()) return false;
                if (b.getInt((int) off) == 3) return false; // PT_INTERP
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
