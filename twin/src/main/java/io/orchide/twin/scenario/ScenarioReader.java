package io.orchide.twin.scenario;

import io.orchide.model.tenant.Quota;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.FieldError;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.Metadata;
import io.orchide.model.Pipeline;
import io.orchide.model.codec.Sizes;
import io.orchide.model.codec.Cursor;
import io.orchide.model.codec.MetadataReader;
import io.orchide.model.codec.Errors;
import io.orchide.model.codec.TreeParser;
import io.orchide.orbit.GroundStation;
import io.orchide.twin.process.PostgresCluster;
import io.orchide.orbit.OrbitInputException;
import io.orchide.orbit.Tle;
import io.orchide.twin.sensor.TargetRegion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a scenario file (YAML or JSON, {@code kind: Scenario}) and checks all of it: every error is reported at once
 * with its field path and value, and a rejected scenario starts nothing. Manifest paths are resolved against the
 * scenario file's directory.
 */
public final class ScenarioReader {
    public static final int MAX_SATELLITES = 16;
    public static final int MAX_STATIONS = 64;
    public static final Duration MAX_DURATION = Duration.ofDays(30);
    public static final int MAX_TENANTS = 16;

    private ScenarioReader() {
    }

    /** Reads the scenario in {@code file}. */
    public static Scenario read(Path file) throws ManifestException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ManifestException(new FieldError("", file.toString(), "cannot be read: " + e.getMessage()));
        }
        return parse(text, file.toAbsolutePath());
    }

    /** Reads the scenario {@code text} that came from {@code source} (paths resolve against its directory). */
    public static Scenario parse(String text, Path source) throws ManifestException {
        return parse(text, source, PostgresCluster::binaries);
    }

    /**
     * As {@link #parse(String, Path)}, with where PostgreSQL's server binaries are ({@code postgres}: empty when not
     * installed), which a scenario whose ground runs on PostgreSQL needs.
     */
    public static Scenario parse(String text, Path source, Supplier<Optional<Path>> postgres) throws ManifestException {
        List<JsonNode> docs = TreeParser.documents(text);
        if (docs.size() != 1) {
            throw new ManifestException(new FieldError("", docs.size() + " documents", "a scenario file holds one document"));
        }
        Errors errors = new Errors();
        Cursor root = Cursor.root(docs.get(0), "", errors);
        if (!root.mapping()) {
            errors.throwIfAny();
            throw new ManifestException(new FieldError("", null, "must be a mapping"));
        }
        root.allowOnly("apiVersion", "kind", "metadata", "spec");
        expect(root.field("apiVersion"), "orchide.io/v1");
        expect(root.field("kind"), "Scenario");
        Cursor meta = root.field("metadata");
        String name = null;
        if (meta.mapping()) {
            meta.allowOnly("name", "labels");
            name = MetadataReader.dnsLabel(meta.field("name"), true);
        } else if (!meta.present()) {
            meta.missing();
        }
        Cursor spec = root.field("spec");
        if (!spec.present()) spec.missing();
        Scenario s = spec.mapping() ? spec(spec, name, source, errors, postgres) : null;
        errors.throwIfAny();
        return s;
    }

    private static Scenario spec(Cursor c, String name, Path source, Errors errors, Supplier<Optional<Path>> postgres) {
        c.allowOnly("start", "duration", "speed", "seed", "manifests", "satellites", "stations", "targets", "link", "faults",
                "ground", "tenants");
        Instant start = instant(c.field("start"));
        Duration duration = required(c.field("duration"), c.field("duration")::duration);
        if (duration != null && duration.compareTo(MAX_DURATION) > 0) {
            c.field("duration").error("must be at most 30d");
            duration = null;
        }
        Double speed = c.field("speed").number(1, 100_000);
        Integer seedField = c.field("seed").integer(0, Integer.MAX_VALUE);
        Path dir = source.getParent() != null ? source.getParent() : Path.of("").toAbsolutePath();
        List<Path> manifests = manifests(c.field("manifests"), dir);
        List<Runnable> afterSatellites = new ArrayList<>(); // checks of the names of satellites given elsewhere
        Set<String> satelliteNames = new HashSet<>(); // every name given, even of a satellite with other errors
        List<TenantSpec> tenants = tenants(c.field("tenants"), dir, satelliteNames, afterSatellites);
        List<SatelliteSpec> sats = satellites(c.field("satellites"), satelliteNames);
        afterSatellites.forEach(Runnable::run);
        List<GroundStation> stations = stations(c.field("stations"));
        List<TargetRegion> targets = targets(c.field("targets"));
        LinkSpec link = link(c.field("link"));
        GroundSpec ground = ground(c.field("ground"), postgres);
        List<Fault> faults = faults(c.field("faults"), satelliteNames, duration, ground);
        if (!errors.isEmpty()) return null;
        return new Scenario(name, source, start, duration, speed != null ? speed : 1, seedField != null ? seedField : 1,
                manifests, sats, stations, targets, link, faults, ground, tenants);
    }

    /** Manifest files, relative to {@code dir}; each must exist. */
    private static List<Path> manifests(Cursor c, Path dir) {
        List<Path> out = new ArrayList<>();
        for (Cursor m : c.items()) {
            String p = m.hostPath(true);
            if (p == null) continue;
            Path resolved = dir.resolve(p).normalize();
            if (!Files.isRegularFile(resolved)) m.error("no such file: " + resolved);
            else out.add(resolved);
        }
        return out;
    }

    // ---------------------------------------------------------------- tenants

    private static List<TenantSpec> tenants(Cursor c, Path dir, Set<String> satellites, List<Runnable> afterSatellites) {
        List<TenantSpec> out = new ArrayList<>();
        if (!c.present()) return out;
        List<Cursor> items = c.items();
        if (items.size() > MAX_TENANTS) c.error("must name at most " + MAX_TENANTS + " tenants");
        Set<String> names = new HashSet<>();
        java.util.Map<String, String> owners = new java.util.HashMap<>(); // "Pipeline/NAME" -> the tenant declaring it
        for (Cursor t : items) {
            if (!t.mapping()) continue;
            t.allowOnly("name", "quota", "manifests", "models");
            String name = MetadataReader.dnsLabel(t.field("name"), true);
            if (name != null && name.equals(Metadata.DEFAULT_TENANT)) {
                t.field("name").error("is what a manifest without a tenant reads as: name the tenant");
                name = null;
            }
            if (name != null && !names.add(name)) t.field("name").error("names another tenant already");
            Quota quota = quota(t.field("quota"));
            Cursor files = t.field("manifests");
            List<Path> manifests = new ArrayList<>();
            List<String> pipelines = new ArrayList<>(), apps = new ArrayList<>();
            if (!files.present()) files.missing();
            else if (files.isList() && files.items().isEmpty()) files.error("must name at least one manifest file");
            for (Cursor m : files.items()) {
                String p = m.hostPath(true);
                if (p == null) continue;
                Path resolved = dir.resolve(p).normalize();
                if (!Files.isRegularFile(resolved)) {
                    m.error("no such file: " + resolved);
                    continue;
                }
                manifests.add(resolved);
                declared(m, resolved, name, owners, pipelines, apps);
            }
            List<TenantModel> models = ScenarioModels.read(t.field("models"), dir, name, satellites, afterSatellites);
            if (name != null && quota != null) out.add(new TenantSpec(name, quota, manifests, pipelines, apps, models));
        }
        return out;
    }

    /**
     * Adds the Pipelines and Apps {@code file} declares; a manifest naming another tenant than {@code tenant} (ground
     * would refuse it, as this tenant's developer may create nothing elsewhere) is an error at {@code c}, and so is a
     * name another tenant declares (ground keeps each name to one tenant).
     */
    private static void declared(Cursor c, Path file, String tenant, java.util.Map<String, String> owners,
                                 List<String> pipelines, List<String> apps) {
        List<Manifest> docs;
        try {
            docs = Manifests.parseAll(Files.readString(file), null);
        } catch (ManifestException e) {
            c.error("is not a valid manifest: " + e.errors().get(0));
            return;
        } catch (IOException e) {
            c.error("cannot be read: " + e.getMessage());
            return;
        }
        for (Manifest m : docs) {
            String named = m.metadata().tenant();
            if (tenant != null && !named.equals(Metadata.DEFAULT_TENANT) && !named.equals(tenant)) {
                c.error(m.kind() + " " + m.name() + " names tenant " + named + " in its metadata.tenant, but is listed "
                        + "under tenant " + tenant + ": drop metadata.tenant or list it under " + named);
            }
            String other = tenant == null ? null : owners.putIfAbsent(m.kind() + "/" + m.name(), tenant);
            if (other != null && !other.equals(tenant)) {
                c.error(m.kind() + " " + m.name() + " is declared by tenant " + other + " already: names of Apps and "
                        + "Pipelines are shared by all tenants of a satellite");
            }
            (m instanceof Pipeline ? pipelines : apps).add(m.name());
        }
    }

    /**
     * {@code {cpu: 2, memory: 1Gi, storage: 2Gi, uplink: 50Mi/d, apps: 20, pipelines: 10, images: 2Gi, products: 10Gi}};
     * none when absent; null when it has errors.
     */
    private static Quota quota(Cursor c) {
        if (!c.present()) return Quota.NONE;
        if (!c.mapping()) return null;
        c.allowOnly(Quota.KEYS);
        Double vcpus = c.field("cpu").number(0.001, 4096);
        Long cpu = vcpus == null ? null : Math.round(vcpus * 1000);
        Long memory = c.field("memory").size(1);
        Long storage = c.field("storage").size(1);
        Long uplink = null;
        Cursor up = c.field("uplink");
        String perDay = up.present() ? up.string() : null;
        if (perDay != null) {
            try {
                if (!perDay.endsWith("/d")) throw new IllegalArgumentException();
                uplink = Sizes.parse(perDay.substring(0, perDay.length() - 2));
                if (uplink <= 0) throw new IllegalArgumentException();
            } catch (IllegalArgumentException e) {
                up.error("must be bytes per day, such as 50Mi/d");
            }
        }
        Integer apps = c.field("apps").integer(0, Integer.MAX_VALUE);
        Integer pipelines = c.field("pipelines").integer(0, Integer.MAX_VALUE);
        Long images = c.field("images").size(1);
        Long products = c.field("products").size(1);
        boolean bad = c.field("cpu").present() && cpu == null || c.field("memory").present() && memory == null
                || c.field("storage").present() && storage == null || up.present() && uplink == null
                || c.field("apps").present() && apps == null || c.field("pipelines").present() && pipelines == null
                || c.field("images").present() && images == null || c.field("products").present() && products == null;
        return bad ? null : new Quota(cpu, memory, storage, uplink, apps == null ? null : apps.longValue(),
                pipelines == null ? null : pipelines.longValue(), images, products);
    }

    // ---------------------------------------------------------------- satellites

    private static List<SatelliteSpec> satellites(Cursor c, Set<String> names) {
        List<Cursor> items = requiredItems(c, "satellite", "satellites", MAX_SATELLITES);
        List<SatelliteSpec> out = new ArrayList<>();
        for (Cursor s : items) {
            if (!s.mapping()) continue;
            s.allowOnly("name", "tle", "node", "camera");
            String name = MetadataReader.dnsLabel(s.field("name"), true);
            if (name != null && !names.add(name)) s.field("name").error("names another satellite already");
            Tle tle = tle(s.field("tle"), name);
            NodeSpec node = node(s.field("node"));
            CameraSpec camera = camera(s.field("camera"));
            if (name != null && tle != null) out.add(new SatelliteSpec(name, tle, node, camera));
        }
        return out;
    }

    private static Tle tle(Cursor c, String name) {
        String text = c.requiredString();
        if (text == null) return null;
        String[] lines = text.strip().split("\\R");
        if (lines.length != 2) {
            c.error("must be the two element lines of a TLE (found " + lines.length + " lines)");
            return null;
        }
        try {
            return new Tle(name != null ? name : "satellite", lines[0].strip(), lines[1].strip());
        } catch (OrbitInputException e) {
            c.error(e.getMessage()); // "line1.checksum: ... (value: 7)"
            return null;
        }
    }

    private static NodeSpec node(Cursor c) {
        if (!c.present()) return NodeSpec.DEFAULT;
        if (!c.mapping()) return NodeSpec.DEFAULT;
        c.allowOnly("vcpus", "memoryMiB", "storage", "accelerators");
        Integer vcpus = c.field("vcpus").integer(1, 4096);
        Integer mem = c.field("memoryMiB").integer(64, 1 << 30);
        Long storage = c.field("storage").size(NodeSpec.MIN_STORAGE);
        return new NodeSpec(vcpus, mem == null ? null : mem.longValue(),
                storage == null ? NodeSpec.DEFAULT_STORAGE : storage, accelerators(c.field("accelerators")));
    }

    /** {@code [{name: gpu-0, class: gpu}]}: simulated accelerators, each name once. */
    private static List<NodeSpec.Accelerator> accelerators(Cursor list) {
        List<NodeSpec.Accelerator> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Cursor item : list.items()) {
            if (!item.mapping()) continue;
            item.allowOnly("name", "class");
            Cursor nameField = item.field("name");
            String name = MetadataReader.dnsLabel(nameField, true);
            if (name != null && !names.add(name)) {
                nameField.error("names another accelerator of this node already");
                name = null;
            }
            Cursor classField = item.field("class");
            String cls = classField.requiredString();
            if (cls != null && !NodeSpec.ACCELERATOR_CLASSES.contains(cls)) {
                classField.error("must be one of: " + String.join(", ", NodeSpec.ACCELERATOR_CLASSES));
                cls = null;
            }
            if (name != null && cls != null) out.add(new NodeSpec.Accelerator(name, cls));
        }
        return out;
    }

    private static CameraSpec camera(Cursor c) {
        if (!c.present() || !c.mapping()) return CameraSpec.DEFAULT;
        c.allowOnly("dataset", "width", "height", "interval");
        CameraSpec d = CameraSpec.DEFAULT;
        String dataset = MetadataReader.dnsLabel(c.field("dataset"), false);
        Integer w = c.field("width").integer(16, 8192);
        Integer h = c.field("height").integer(16, 8192);
        Duration interval = c.field("interval").duration();
        if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
            c.field("interval").error("must be at least 1s");
            interval = null;
        }
        return new CameraSpec(dataset != null ? dataset : d.dataset(), w != null ? w : d.width(),
                h != null ? h : d.height(), interval != null ? interval : d.interval());
    }

    // ---------------------------------------------------------------- stations, targets, link

    private static List<GroundStation> stations(Cursor c) {
        List<Cursor> items = requiredItems(c, "ground station", "stations", MAX_STATIONS);
        List<GroundStation> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Cursor s : items) {
            if (!s.mapping()) continue;
            s.allowOnly("name", "latitude", "longitude", "altitude", "minElevation", "uplink", "downlink");
            String name = MetadataReader.dnsLabel(s.field("name"), true);
            if (name != null && !names.add(name)) s.field("name").error("names another station already");
            Double lat = required(s.field("latitude"), () -> s.field("latitude").number(-90, 90));
            Double lon = required(s.field("longitude"), () -> s.field("longitude").number(-180, 180));
            Double alt = s.field("altitude").number(-500, 10_000);
            // ground's bounds (StationReader): the twin gives ground its stations
            Double minEl = s.field("minElevation").number(0, 89);
            Long up = required(s.field("uplink"), s.field("uplink")::rate);
            Long down = required(s.field("downlink"), s.field("downlink")::rate);
            if (name != null && lat != null && lon != null && up != null && down != null) {
                out.add(new GroundStation(name, lat, lon, alt != null ? alt : 0, minEl != null ? minEl : 5, up, down));
            }
        }
        return out;
    }

    private static List<TargetRegion> targets(Cursor c) {
        List<TargetRegion> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Cursor t : c.items()) {
            if (!t.mapping()) continue;
            t.allowOnly("name", "latitude", "longitude");
            String name = MetadataReader.dnsLabel(t.field("name"), true);
            if (name != null && !names.add(name)) t.field("name").error("names another target already");
            double[] lat = range(t.field("latitude"), 90);
            double[] lon = range(t.field("longitude"), 180);
            if (lat != null && lat[0] > lat[1]) {
                t.field("latitude").error("must go from south to north");
                lat = null;
            }
            if (name != null && lat != null && lon != null) out.add(new TargetRegion(name, lat[0], lat[1], lon[0], lon[1]));
        }
        if (c.present() && c.isList() && out.isEmpty() && c.items().isEmpty()) c.error("must name at least one target region");
        return out;
    }

    /** {@code [from, to]} in degrees within [-limit, limit]. */
    private static double[] range(Cursor c, double limit) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        List<Cursor> items = c.items();
        if (!c.isList()) return null;
        if (items.size() != 2) {
            c.error("must be [from, to] in degrees");
            return null;
        }
        Double a = items.get(0).number(-limit, limit);
        Double b = items.get(1).number(-limit, limit);
        return a == null || b == null ? null : new double[]{a, b};
    }

    private static LinkSpec link(Cursor c) {
        if (!c.present() || !c.mapping()) return LinkSpec.DEFAULT;
        c.allowOnly("delay", "loss");
        Duration delay = c.field("delay").duration();
        if (delay != null && delay.compareTo(Duration.ofSeconds(10)) > 0) {
            c.field("delay").error("must be at most 10s");
            delay = null;
        }
        Double loss = c.field("loss").number(0, 0.5);
        return new LinkSpec(delay != null ? delay : LinkSpec.DEFAULT.delay(), loss != null ? loss : 0);
    }

    // ---------------------------------------------------------------- ground

    /** Ground's replicas and database; null when the field has errors (they are reported). */
    private static GroundSpec ground(Cursor c, Supplier<Optional<Path>> postgres) {
        if (!c.present()) return GroundSpec.DEFAULT;
        if (!c.mapping()) return null;
        c.allowOnly("replicas", "database");
        Integer replicas = c.field("replicas").integer(1, GroundSpec.MAX_REPLICAS);
        GroundSpec.Database db = c.field("database").choice(GroundSpec.Database.values());
        if (c.field("database").present() && db == null) return null;
        if (db == null) db = GroundSpec.Database.SQLITE;
        if (replicas == null) {
            if (c.field("replicas").present()) return null;
            replicas = 1;
        }
        if (replicas > 1 && db != GroundSpec.Database.POSTGRES) {
            c.field("replicas").error("several replicas share one database: set database: postgres");
            return null;
        }
        if (db == GroundSpec.Database.POSTGRES && postgres.get().isEmpty()) {
            c.field("database").error("needs PostgreSQL's server binaries under /usr/lib/postgresql/<version>/bin, "
                    + "which are not installed: apt-get install postgresql");
            return null;
        }
        return new GroundSpec(replicas, db);
    }

    // ---------------------------------------------------------------- faults

    private static List<Fault> faults(Cursor c, Set<String> satellites, Duration scenario, GroundSpec ground) {
        List<Fault> out = new ArrayList<>();
        for (Cursor f : c.items()) {
            if (!f.mapping()) continue;
            f.allowOnly("at", "kind", "satellite", "duration", "replica");
            Duration at = required(f.field("at"), f.field("at")::duration);
            if (at != null && scenario != null && at.compareTo(scenario) >= 0) {
                f.field("at").error("must fall within the scenario's duration (" + io.orchide.model.codec.Durations.format(scenario) + ")");
                at = null;
            }
            FaultKind kind = f.field("kind").requiredChoice(FaultKind.values());
            if (kind == null) continue;
            boolean ok = at != null;
            String sat = null;
            Integer replica = null;
            switch (kind) {
                case GROUND_REPLICA_CRASH -> {
                    // the replica is named, or found at the fault's instant as the one serving the satellite
                    Cursor r = f.field("replica");
                    if (r.present()) {
                        replica = r.integer(1, ground != null ? ground.replicas() : GroundSpec.MAX_REPLICAS);
                        if (f.field("satellite").present()) {
                            f.field("satellite").error("name either the satellite (the replica serving it is struck) "
                                    + "or the replica, not both");
                        }
                        ok &= replica != null;
                    } else {
                        sat = satellite(f.field("satellite"), satellites, "is required for a " + kind
                                + " without a replica (the replica serving that satellite is struck)");
                        ok &= sat != null;
                    }
                    if (ground != null && ground.replicas() < 2) {
                        f.field("kind").error("a " + kind + " needs at least 2 ground replicas "
                                + "(ground: {replicas: 2, database: postgres}); this scenario has " + ground.replicas());
                    }
                }
                case DATABASE_RESTART -> {
                    if (f.field("satellite").present()) f.field("satellite").error("a " + kind + " strikes ground, not a satellite");
                    if (f.field("replica").present()) f.field("replica").error("only a " + FaultKind.GROUND_REPLICA_CRASH + " names a replica");
                    if (ground != null && ground.database() != GroundSpec.Database.POSTGRES) {
                        f.field("kind").error("a " + kind + " needs ground on PostgreSQL (ground: {database: postgres})");
                    }
                }
                default -> {
                    if (f.field("replica").present()) f.field("replica").error("only a " + FaultKind.GROUND_REPLICA_CRASH + " names a replica");
                    sat = satellite(f.field("satellite"), satellites, null);
                    ok &= sat != null;
                }
            }
            Duration d = f.field("duration").duration();
            if (kind.lasting() == FaultKind.Lasting.REQUIRED && d == null && !f.field("duration").present()) {
                f.field("duration").error("is required for a " + kind);
            }
            if (!kind.lasts() && d != null) f.field("duration").error("a " + kind + " has no duration");
            if (kind == FaultKind.DATABASE_RESTART && at != null && d != null && scenario != null
                    && at.plus(d).compareTo(scenario) >= 0) {
                // ground could say nothing at the end: the summary would find every product lost
                f.field("duration").error("a " + kind + " must end within the scenario's duration ("
                        + io.orchide.model.codec.Durations.format(scenario) + "; it starts at "
                        + io.orchide.model.codec.Durations.format(at) + ")");
            }
            if (ok) out.add(new Fault(at, kind, sat, kind.lasts() ? d : null, replica));
        }
        return out;
    }

    /** A fault's satellite: required (with {@code missing} as the message, when given), one of the scenario's. */
    private static String satellite(Cursor c, Set<String> satellites, String missing) {
        if (missing != null && !c.present()) {
            c.error(missing);
            return null;
        }
        String sat = c.requiredString();
        if (sat != null && !satellites.contains(sat)) c.error("names no satellite of this scenario");
        return sat;
    }

    // ---------------------------------------------------------------- values

    /** The items of a required list of 1 to {@code max} entries (errors reported at {@code c}). */
    private static List<Cursor> requiredItems(Cursor c, String one, String many, int max) {
        if (!c.present()) {
            c.missing();
            return List.of();
        }
        List<Cursor> items = c.items();
        if (c.isList() && items.isEmpty()) c.error("must name at least one " + one);
        if (items.size() > max) c.error("must name at most " + max + " " + many);
        return items;
    }

    private static void expect(Cursor c, String value) {
        String s = c.requiredString();
        if (s != null && !s.equals(value)) c.error("must be " + value);
    }

    private static Instant instant(Cursor c) {
        String s = c.requiredString();
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            c.error("must be an ISO-8601 instant such as 2026-12-01T06:00:00Z");
            return null;
        }
    }

    private static <T> T required(Cursor c, Supplier<T> read) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        return read.get();
    }
}
