package io.orchide.node.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.Names;
import io.orchide.model.codec.Cursor;
import io.orchide.model.codec.Errors;
import io.orchide.model.codec.TreeParser;
import io.orchide.orbit.OrbitInputException;
import io.orchide.orbit.Tle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The integrator's devices file, given to {@code orchide node --devices FILE} (YAML or JSON):
 * <pre>
 * discover: true            # also list what the hardware shows (default true)
 * orbitPeriod: 95m          # what a grant's quota per orbit counts over (default 95m)
 * devices:
 *   - name: camera-1        # a DNS label: what grants and requests name
 *     class: camera         # camera, gnss, i2c, spi, can, radio, gpu, npu, fpga, sensor, other
 *     path: /dev/video0     # optional: the device node or interface it is reached through
 *     properties: {exposureMs: "4", gain: "2"}   # desired properties, strings
 *     feed: /var/lib/cam   # a camera only: the directory its frames appear in; a capture takes the newest
 *   - name: npu-0           # gpu, npu and fpga devices are accelerators, which workloads hold alone
 *     class: npu
 *     path: /dev/accel0
 *     properties: {pciAddress: "0000:03:00.0"}   # where a qemu guest may be given it through VFIO
 *   - {name: gnss-1, class: gnss, path: /dev/ttyS1}
 * position:                 # where the node learns its position (grants over a region, in sunlight; captures)
 *   gnss: gnss-1            # a declared gnss device: NMEA GGA sentences read from its path
 *   tle: sat-1.tle          # the satellite's TLE (2 or 3 lines; relative to this file), while GNSS has no fix
 *   maxFixAge: 10s          # how old a GNSS fix may be and still answer (default 10s)
 * </pre>
 * Every problem is reported at once, each with its field path ({@code devices[1].class}) and the value found; a file
 * with any problem is refused whole.
 */
public record DevicesFile(List<Device> devices, boolean discover, Duration orbitPeriod, PositionSettings position) {
    public static final Duration DEFAULT_ORBIT_PERIOD = Duration.ofMinutes(95);
    /** No file: discovery only. */
    public static final DevicesFile NONE = new DevicesFile(List.of(), true, DEFAULT_ORBIT_PERIOD, null);

    public DevicesFile {
        devices = List.copyOf(devices);
        orbitPeriod = orbitPeriod == null ? DEFAULT_ORBIT_PERIOD : orbitPeriod;
    }

    public DevicesFile(List<Device> devices, boolean discover, Duration orbitPeriod) {
        this(devices, discover, orbitPeriod, null);
    }

    /** This file with {@code tle} as the satellite's TLE ({@code orchide node --tle}). */
    public DevicesFile withTle(Tle tle) {
        PositionSettings p = position == null ? new PositionSettings(tle, null, null) : position.withTle(tle);
        return new DevicesFile(devices, discover, orbitPeriod, p);
    }

    /** Reads {@code file}; a relative TLE path in it is taken from the file's directory. */
    public static DevicesFile read(Path file) throws IOException, ManifestException {
        Path dir = file.toAbsolutePath().getParent();
        return parse(Files.readString(file), dir);
    }

    /** Parses {@code text}; a relative TLE path in it is taken from the working directory. */
    public static DevicesFile parse(String text) throws ManifestException {
        return parse(text, Path.of("").toAbsolutePath());
    }

    private static DevicesFile parse(String text, Path base) throws ManifestException {
        List<JsonNode> docs = TreeParser.documents(text);
        if (docs.size() > 1) {
            throw new ManifestException(new FieldError("", String.valueOf(docs.size()), "expected one document, found several"));
        }
        Errors errors = new Errors();
        Cursor root = Cursor.root(docs.isEmpty() ? null : docs.getFirst(), "", errors);
        if (!root.present()) return NONE;
        if (!root.mapping()) {
            errors.throwIfAny();
            return NONE;
        }
        root.allowOnly("discover", "orbitPeriod", "devices", "position");
        Boolean discover = root.field("discover").bool();
        Cursor period = root.field("orbitPeriod");
        Duration orbitPeriod = period.duration();
        if (orbitPeriod != null && orbitPeriod.compareTo(Duration.ofMinutes(1)) < 0) {
            period.error("must be at least 1m");
        }
        List<Device> devices = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Cursor item : root.field("devices").items()) {
            Device d = device(item, names);
            if (d != null) devices.add(d);
        }
        PositionSettings position = position(root.field("position"), devices, base);
        errors.throwIfAny();
        return new DevicesFile(devices, discover == null || discover, orbitPeriod, position);
    }

    private static PositionSettings position(Cursor c, List<Device> devices, Path base) {
        if (!c.present() || !c.mapping()) return null;
        c.allowOnly("gnss", "tle", "maxFixAge");
        Cursor gnssField = c.field("gnss");
        String gnss = gnssField.nonEmptyString();
        if (gnss != null) {
            Device d = devices.stream().filter(x -> x.name().equals(gnss)).findFirst().orElse(null);
            if (d == null) {
                gnssField.error("must name a device of this file");
            } else if (d.deviceClass() != DeviceClass.GNSS) {
                gnssField.error("names a " + d.deviceClass() + " device; it must name a gnss device");
            } else if (d.path() == null || !d.path().startsWith("/")) {
                gnssField.error("names a gnss device without an absolute path to read its NMEA sentences from");
            }
        }
        Cursor tleField = c.field("tle");
        String tlePath = tleField.hostPath(false);
        Tle tle = null;
        if (tlePath != null) {
            Path file = base.resolve(tlePath);
            try {
                tle = Tle.parse(Files.readString(file), file.getFileName().toString());
            } catch (IOException e) {
                tleField.error("cannot be read (" + e + ")");
            } catch (OrbitInputException e) {
                tleField.error("is not a TLE: " + e.getMessage());
            }
        }
        Cursor ageField = c.field("maxFixAge");
        Duration maxFixAge = ageField.duration();
        if (maxFixAge != null && (maxFixAge.isZero() || maxFixAge.isNegative())) ageField.error("must be positive");
        if (gnss == null && tlePath == null) c.error("must name a gnss device, a tle file, or both");
        return new PositionSettings(tle, gnss, maxFixAge);
    }

    private static Device device(Cursor c, Set<String> names) {
        if (!c.mapping()) {
            if (!c.present()) c.error("must be a mapping with name and class");
            return null;
        }
        c.allowOnly("name", "class", "path", "properties", "feed");
        Cursor nameField = c.field("name");
        String name = nameField.requiredString();
        if (name != null) {
            String problem = Names.dnsLabelProblem(name);
            if (problem != null) {
                nameField.error(problem);
                name = null;
            } else if (!names.add(name)) {
                nameField.error("names another device already (names are unique on a node)");
                name = null;
            }
        }
        DeviceClass cls = c.field("class").requiredChoice(DeviceClass.values());
        String path = c.field("path").hostPath(false);
        if (path != null && !path.startsWith("/") && !path.matches("[A-Za-z0-9_.-]+")) {
            c.field("path").error("must be an absolute path (/dev/video0) or an interface name (can0)");
            path = null;
        }
        Map<String, String> properties = c.field("properties").stringMap(DevicesFile::propertyProblem);
        Cursor feedField = c.field("feed");
        String feed = feedField.hostPath(false);
        if (feed != null && !feed.startsWith("/")) {
            feedField.error("must be an absolute directory path");
            feed = null;
        } else if (feed != null && cls != null && cls != DeviceClass.CAMERA) {
            feedField.error("is for cameras only (this device is " + cls + ")");
            feed = null;
        }
        if (name == null || cls == null) return null;
        return new Device(name, cls, path, properties, Device.Source.DECLARED, feed);
    }

    /** A property name: letters, digits, '.', '_' or '-', starting with a letter, at most 63. */
    static String propertyProblem(String key) {
        return key.matches("[A-Za-z][A-Za-z0-9._-]{0,62}") ? null
                : "must be letters, digits, '.', '_' or '-', starting with a letter, at most 63";
    }
}
