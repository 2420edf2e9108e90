package io.orchide.node.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the devices the hardware shows, under roots that tests replace with a fake tree: video devices
 * ({@code /dev/video*}, with {@code /sys/class/video4linux/videoN/name}), I2C buses ({@code /sys/class/i2c-dev}),
 * SPI devices ({@code /sys/class/spidev}), GNSS receivers ({@code /sys/class/gnss}), CAN interfaces (those of
 * {@code /sys/class/net} whose {@code type} is 280, ARPHRD_CAN), FPGA managers ({@code /sys/class/fpga_manager}) and
 * NVIDIA GPUs (the lines of {@code nvidia-smi --query-gpu=index,name,uuid,memory.total --format=csv,noheader} when
 * it is installed, else the device nodes {@code /dev/nvidiaN}). Each comes with the facts the hardware reports, which
 * become the device's reported properties. Nothing found is not an error: a laptop has none of it.
 */
public final class DeviceDiscovery {
    /** ARPHRD_CAN, the {@code type} of a CAN network interface. */
    static final String CAN_TYPE = "280";
    /** The arguments that make {@code nvidia-smi} print one CSV line per GPU: index, name, uuid, total memory. */
    public static final List<String> NVIDIA_SMI = List.of("nvidia-smi",
            "--query-gpu=index,name,uuid,memory.total", "--format=csv,noheader");
    private static final Pattern NVIDIA_NODE = Pattern.compile("nvidia(\\d+)");
    private static final System.Logger LOG = System.getLogger(DeviceDiscovery.class.getName());

    /** A device the hardware shows, with what it reports of itself. */
    public record Found(Device device, Map<String, String> reported) {
        public Found {
            reported = Map.copyOf(reported);
        }
    }

    private final Path sys;
    private final Path dev;
    private final Supplier<List<String>> nvidiaSmi;

    /**
     * Under {@code sys} (normally {@code /sys}) and {@code dev} ({@code /dev}); {@code nvidiaSmi} gives the lines of
     * {@link #NVIDIA_SMI} (empty when there is none).
     */
    public DeviceDiscovery(Path sys, Path dev, Supplier<List<String>> nvidiaSmi) {
        this.sys = sys;
        this.dev = dev;
        this.nvidiaSmi = nvidiaSmi;
    }

    /** The host's own {@code /sys}, {@code /dev} and {@code nvidia-smi}. */
    public static DeviceDiscovery host() {
        return new DeviceDiscovery(Path.of("/sys"), Path.of("/dev"), DeviceDiscovery::runNvidiaSmi);
    }

    public List<Found> discover() {
        List<Found> out = new ArrayList<>();
        for (Path p : list(dev, "video*")) {
            String n = p.getFileName().toString();
            if (!n.matches("video\\d+")) continue;
            Map<String, String> r = facts(p);
            put(r, "model", read(sys.resolve("class/video4linux").resolve(n).resolve("name")));
            out.add(found(n, DeviceClass.CAMERA, p.toString(), r));
        }
        classDir("i2c-dev", DeviceClass.I2C, out);
        classDir("spidev", DeviceClass.SPI, out);
        classDir("gnss", DeviceClass.GNSS, out);
        for (Path p : list(sys.resolve("class/net"), "*")) {
            if (!CAN_TYPE.equals(read(p.resolve("type")))) continue;
            String n = p.getFileName().toString();
            Map<String, String> r = new LinkedHashMap<>();
            put(r, "operstate", read(p.resolve("operstate")));
            out.add(found(n, DeviceClass.CAN, n, r));
        }
        for (Path p : list(sys.resolve("class/fpga_manager"), "*")) {
            String n = p.getFileName().toString();
            Map<String, String> r = new LinkedHashMap<>();
            put(r, "model", read(p.resolve("name")));
            put(r, "state", read(p.resolve("state")));
            out.add(found(n, DeviceClass.FPGA, null, r));
        }
        gpus(out);
        return out;
    }

    /** The GPUs {@code nvidia-smi} lists; where it lists none, one per device node {@code nvidiaN}. */
    private void gpus(List<Found> out) {
        boolean listed = false;
        for (String line : nvidiaSmi.get()) {
            String[] f = line.split(",");
            if (f.length < 4 || !f[0].strip().matches("\\d{1,4}")) continue;
            String index = f[0].strip();
            Path node = dev.resolve("nvidia" + index);
            Map<String, String> r = facts(node);
            put(r, "index", index);
            put(r, "model", f[1]);
            put(r, "uuid", f[2]);
            put(r, "memory", f[3]);
            out.add(found("gpu-" + index, DeviceClass.GPU, node.toString(), r));
            listed = true;
        }
        if (listed) return;
        for (Path p : list(dev, "nvidia*")) {
            Matcher m = NVIDIA_NODE.matcher(p.getFileName().toString());
            if (!m.matches()) continue;
            Map<String, String> r = facts(p);
            put(r, "index", m.group(1));
            out.add(found("gpu-" + m.group(1), DeviceClass.GPU, p.toString(), r));
        }
    }

    /** The entries of {@code /sys/class/<cls>}, each with its device node under {@code dev} and its name file. */
    private void classDir(String cls, DeviceClass deviceClass, List<Found> out) {
        for (Path p : list(sys.resolve("class").resolve(cls), "*")) {
            String n = p.getFileName().toString();
            Path node = dev.resolve(n);
            Map<String, String> r = facts(node);
            put(r, "model", read(p.resolve("name")));
            out.add(found(n, deviceClass, node.toString(), r));
        }
    }

    private static Found found(String rawName, DeviceClass cls, String path, Map<String, String> reported) {
        return new Found(new Device(label(rawName), cls, path, Map.of(), Device.Source.DISCOVERED), reported);
    }

    /** A DNS label made of a kernel name: lower case, other characters as '-' ({@code spidev0.1} is spidev0-1). */
    static String label(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        return s.length() > 63 ? s.substring(0, 63) : s;
    }

    private static Map<String, String> facts(Path node) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("present", Boolean.toString(Files.exists(node)));
        return r;
    }

    private static void put(Map<String, String> r, String key, String value) {
        if (value != null && !value.isBlank()) r.put(key, value.strip());
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + dir + ": " + e.getMessage());
        }
        out.sort(null);
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The lines of {@link #NVIDIA_SMI}; none when it is not installed or fails. */
    static List<String> runNvidiaSmi() {
        try {
            Process p = new ProcessBuilder(NVIDIA_SMI).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).lines().toList() : List.of();
        } catch (IOException e) {
            return List.of(); // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
