package io.orchide.cli;

import io.orchide.model.Accel;
import io.orchide.model.Monitor;
import io.orchide.model.codec.Durations;
import io.orchide.node.NodeConfig;
import io.orchide.node.storage.StorageBudget;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.RuntimeConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code orchide node}, parsed by hand: the agent is the one long-lived process of the
 * distribution, and keeping the command-line library out of it keeps its footprint down.
 */
final class NodeOptions {
    /** vCPUs are time-shared threads of the monitors: by default the node offers this many per host processor. */
    static final int VCPUS_PER_PROCESSOR = 4;

    static final String USAGE = """
            Usage: orchide node --data-dir DIR [--listen HOST:PORT] [--vcpus N] [--memory-mib N]
                                [--accel auto|kvm|tcg] [--binary MONITOR=PATH]... [--log-max-bytes N]
                                [--aging-step DURATION] [--satellite NAME --ground HOST:PORT[,HOST:PORT...]
                                --ground-key FILE [--node-name NAME] [--link-rate BITS/S] [--link-keepalive DURATION]
                                [--link-idle-timeout DURATION]] [--clock-speed N] [--clock-start INSTANT]
                                [--clock-origin INSTANT] [--storage-limit SIZE] [--storage-reserve SIZE]
                                [--devices FILE] [--housekeeping-interval DURATION] [--tle FILE]
                   orchide node token --data-dir DIR
                   orchide node init --data-dir DIR
            Run the on-board agent of a payload computer. Every call of its API needs the node's token, made at the
            first start in DIR/node.token (mode 0600); `orchide node token` prints it.
                  --data-dir DIR        where the agent keeps its database and workloads (required)
                  --listen HOST:PORT    API address (default 127.0.0.1:7100, loopback only; another address
                                        opens the API beyond this machine, and the start says so)
                  --vcpus N             vCPUs offered to workloads (default: 4 per host processor)
                  --memory-mib N        memory offered to workloads in MiB (default: host memory less 256 MiB;
                                        memory is never overcommitted)
                  --accel MODE          auto (probe KVM per monitor, default), kvm or tcg
                  --binary MONITOR=PATH monitor binary, e.g. --binary solo5-hvt=/opt/solo5/bin/solo5-hvt
                  --log-max-bytes N     bound of each workload's console ring (default 1048576)
                  --aging-step DURATION a queued pipeline run gains one priority point per step it waits
                                        (default 10m; 0 turns aging off), e.g. 30s, 5m
                  --storage-limit SIZE  disk the node may use under --data-dir, e.g. 8Gi (default: the whole
                                        filesystem); below the low mark (twice the reserve) it deletes the files of
                                        finished runs and of products ground holds, oldest first
                  --storage-reserve SIZE free space always kept, e.g. 256Mi (default 64Mi, or a tenth of a smaller
                                        limit): a capture that would eat into it is refused
                  --satellite NAME      the satellite this node belongs to (with --ground)
                  --ground HOST:PORT[,HOST:PORT...]
                                        ground's link addresses: the node dials them whenever the contact is
                                        open, takes desired state from ground and sends reports and products down.
                                        With several (ground replicas, or a name with several addresses) it tries
                                        them in turn, stays on the one that serves it, and after a whole round
                                        refused waits 1 s, then 2 s, then 4 s between rounds (less when a replica
                                        said when the lease keeping the node out ends)
                  --ground-key FILE     ground's public key (its ground.pub), pinned: the link is mutual TLS with the
                                        node's own key (DIR/node.key, made by `orchide node init`) and the node
                                        talks to no ground that cannot prove this key (required with --ground;
                                        give it twice to accept either of two keys while ground's key changes)
                  --node-name NAME      this node's name within the satellite (default: the host name)
                  --link-rate BITS/S    transmit rate of the link, e.g. 2M or 512k (default: unlimited)
                  --link-keepalive DURATION
                                        after this long without sending, the node sends a keepalive (31 bytes;
                                        default 5s)
                  --link-idle-timeout DURATION
                                        after this long without a byte from a ground that keeps sessions alive,
                                        the node ends the session as dead and dials the next address (default 20s;
                                        longer than ground's keepalive interval)
                  --clock-speed N       simulated time for the digital twin and tests: the node's clock starts
                                        now and runs N times faster (schedules, deadlines, expiry follow it)
                  --clock-start INSTANT where simulated time starts (ISO-8601, e.g. 2026-12-01T00:00:00Z; default now),
                                        so that a twin's ground and nodes share one epoch
                  --clock-origin INSTANT the real instant at which simulated time was --clock-start (default: when
                                        the agent starts), so that an agent restarted mid-scenario rejoins it
                  --devices FILE        the integrator's devices file (YAML): each device's name, class, path and
                                        desired properties, whether to discover the rest (/dev/video*, I2C, SPI,
                                        GNSS, CAN, FPGA managers, nvidia-smi), the orbit period quotas count over,
                                        where the node's position comes from (a GNSS receiver's NMEA, a TLE)
                  --housekeeping-interval DURATION
                                        the width of one housekeeping interval, whose min, max, mean and last
                                        go to ground (default 1m, from 1s to 1d; a bundle every 15 intervals
                                        when the budget allows); ground's `orchide set housekeeping-interval`
                                        for the satellite is taken over it
                  --tle FILE            the satellite's TLE (2 or 3 lines): the node's position, propagated with
                                        SGP4, for grants over a region or in sunlight and for captures (after the
                                        GNSS receiver of the devices file, while it has no recent fix)
              -h, --help                this text
            """;

    Path dataDir;
    String listen = "127.0.0.1:7100";
    Integer vcpus;
    Long memoryMiB;
    Accel accel = Accel.AUTO;
    final Map<Monitor, Path> binaries = new EnumMap<>(Monitor.class);
    long logMaxBytes = RuntimeConfig.DEFAULT_LOG_MAX_BYTES;
    Duration agingStep = NodeConfig.DEFAULT_AGING_STEP;
    Duration housekeepingInterval = NodeConfig.DEFAULT_HOUSEKEEPING_INTERVAL;
    String satellite;
    String ground;
    final List<Path> groundKeys = new java.util.ArrayList<>();
    String nodeName;
    long linkRateBits;
    String linkKeepalive;
    String linkIdleTimeout;
    double clockSpeed = 1;
    java.time.Instant clockStart;
    java.time.Instant clockOrigin;
    long storageLimit;
    long storageReserve;
    boolean help;
    io.orchide.node.device.DevicesFile devices;
    io.orchide.orbit.Tle tle;

    static NodeOptions parse(List<String> args) {
        NodeOptions o = new NodeOptions();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("-h") || name.equals("--help")) {
                o.help = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) throw new CliException(name + ": missing value\n" + USAGE);
                value = args.get(++i);
            }
            switch (name) {
                case "--data-dir" -> o.dataDir = Path.of(value).toAbsolutePath();
                case "--listen" -> o.listen = value;
                case "--vcpus" -> o.vcpus = (int) number(name, value, 1, 4096);
                case "--memory-mib" -> o.memoryMiB = number(name, value, 1, 1L << 30);
                case "--accel" -> o.accel = accel(value);
                case "--binary" -> o.binary(value);
                case "--log-max-bytes" -> o.logMaxBytes = number(name, value, 4096, 1L << 40);
                case "--aging-step" -> o.agingStep = duration(name, value);
                case "--satellite" -> o.satellite = name(name, value);
                case "--ground" -> o.ground = OptionValues.linkAddresses(name, value);
                case "--ground-key" -> o.groundKeys.add(groundKey(value));
                case "--node-name" -> o.nodeName = name(name, value);
                case "--link-rate" -> o.linkRateBits = OptionValues.rate(name, value);
                case "--link-keepalive" -> o.linkKeepalive = value;
                case "--link-idle-timeout" -> o.linkIdleTimeout = value;
                case "--clock-speed" -> o.clockSpeed = OptionValues.speed(name, value);
                case "--clock-start" -> o.clockStart = OptionValues.instant(name, value);
                case "--clock-origin" -> o.clockOrigin = OptionValues.instant(name, value);
                case "--storage-limit" -> o.storageLimit = OptionValues.size(name, value);
                case "--storage-reserve" -> o.storageReserve = OptionValues.size(name, value);
                case "--devices" -> o.devices = devices(value);
                case "--housekeeping-interval" -> o.housekeepingInterval = housekeepingInterval(name, value);
                case "--tle" -> o.tle = tle(value);
                default -> throw new CliException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (!o.help && o.dataDir == null) throw new CliException("--data-dir is required\n" + USAGE);
        if (o.tle != null) {
            if (o.devices != null && o.devices.position() != null && o.devices.position().tle() != null) {
                throw new CliException("--tle: the devices file names a TLE already (position.tle); give it once");
            }
            o.devices = (o.devices == null ? io.orchide.node.device.DevicesFile.NONE : o.devices).withTle(o.tle);
        }
        if (!o.help) o.storage(); // an impossible budget is refused before anything starts
        if (!o.help) LinkLiveness.parse(o.linkKeepalive, o.linkIdleTimeout);
        if (!o.help && (o.satellite == null) != (o.ground == null)) {
            throw new CliException("--satellite and --ground go together\n" + USAGE);
        }
        if (!o.help && o.ground != null && o.groundKeys.isEmpty()) {
            throw new CliException("--ground-key is required with --ground: the node talks only to a ground whose key it "
                    + "pins (ground prints its public key file at its start: ground.pub in its data dir)\n" + USAGE);
        }
        if (!o.help && o.ground == null && !o.groundKeys.isEmpty()) {
            throw new CliException("--ground-key " + o.groundKeys.getFirst() + ": only with --satellite and --ground\n" + USAGE);
        }
        return o;
    }

    /** The devices file at {@code value}, read now: a bad one stops the start with each problem and its field. */
    private static io.orchide.node.device.DevicesFile devices(String value) {
        try {
            return io.orchide.node.device.DevicesFile.read(Path.of(value));
        } catch (java.io.IOException e) {
            throw new CliException("--devices " + value + ": cannot read it (" + e.getMessage() + ")");
        } catch (io.orchide.model.ManifestException e) {
            throw new CliException("--devices " + value + ": " + e.getMessage());
        }
    }

    /** The TLE at {@code value}, read now: a bad one stops the start naming the field of the TLE that is wrong. */
    private static io.orchide.orbit.Tle tle(String value) {
        try {
            Path p = Path.of(value);
            return io.orchide.orbit.Tle.parse(java.nio.file.Files.readString(p), p.getFileName().toString());
        } catch (java.io.IOException e) {
            throw new CliException("--tle " + value + ": cannot read it (" + e.getMessage() + ")");
        } catch (io.orchide.model.FieldValueException e) {
            throw new CliException("--tle " + value + ": not a TLE: " + e.getMessage());
        }
    }

    NodeConfig config() {
        Capacity host = Capacity.ofHost(256);
        Capacity cap = new Capacity(vcpus != null ? vcpus : host.vcpus() * VCPUS_PER_PROCESSOR,
                memoryMiB != null ? memoryMiB : host.memoryMiB());
        LinkLiveness live = LinkLiveness.parse(linkKeepalive, linkIdleTimeout);
        NodeConfig.GroundSettings link = satellite == null ? null : new NodeConfig.GroundSettings(satellite, ground,
                nodeName != null ? nodeName : hostName(), linkRateBits / 8, null, live.keepalive(), live.idleTimeout(),
                groundKeys);
        Clock clock = OptionValues.simulatedClock(clockSpeed, clockStart, clockOrigin);
        return new NodeConfig(dataDir, OptionValues.address("--listen", listen), cap, accel, binaries, logMaxBytes,
                clock, agingStep, link, storage(), devices, null, housekeepingInterval);
    }

    private StorageBudget storage() {
        try {
            return StorageBudget.of(storageLimit, storageReserve);
        } catch (IllegalArgumentException e) {
            throw new CliException("--storage-limit " + storageLimit + ", --storage-reserve " + storageReserve + ": "
                    + e.getMessage() + "\n" + USAGE);
        }
    }

    /** A readable PEM public key file; refused naming the option and the file otherwise. */
    private static Path groundKey(String v) {
        Path p = Path.of(v).toAbsolutePath();
        try {
            io.orchide.link.secure.KeyFiles.readPublic(p);
        } catch (java.io.IOException | RuntimeException e) {
            throw new CliException("--ground-key: " + v + " is not a readable public key file (" + e.getMessage() + ")");
        }
        return p;
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "node";
            }
        }
        String n = h.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return n.length() > 63 ? n.substring(0, 63) : n;
    }

    private static String name(String option, String v) {
        if (!v.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new CliException(option + ": must be lowercase letters, digits and '-', 1 to 63 characters (got " + v + ")");
        }
        return v;
    }

    /** Whole seconds from 1 s to a day: the housekeeping's intervals start on whole seconds. */
    private static Duration housekeepingInterval(String name, String v) {
        Duration d = OptionValues.duration(name, v, Duration.ofSeconds(1), Duration.ofDays(1), "30s, 1m or 5m");
        if (d.getNano() != 0) throw new CliException(name + ": expected whole seconds, such as 30s, 1m or 5m (got " + v + ")");
        return d;
    }

    private static Duration duration(String name, String v) {
        if (v.equals("0")) return Duration.ZERO;
        try {
            Duration d = Durations.parse(v);
            if (!d.isNegative()) return d;
        } catch (RuntimeException e) {
            // reported below
        }
        throw new CliException(name + ": expected a duration such as 500ms, 30s or 10m (got " + v + ")");
    }

    private void binary(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) throw new CliException("--binary: expected MONITOR=PATH (got " + kv + ")");
        Monitor monitor;
        try {
            monitor = Monitor.fromWire(kv.substring(0, eq));
        } catch (IllegalArgumentException e) {
            throw new CliException("--binary: unknown monitor " + kv.substring(0, eq) + " (got " + kv + ")");
        }
        Path p;
        try {
            p = Path.of(kv.substring(eq + 1)).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new CliException("--binary " + monitor.wire() + ": not a path (got " + kv.substring(eq + 1) + ")");
        }
        // a binary that is not there would only show when the first workload of that monitor failed to start
        if (monitor == Monitor.QEMU && java.nio.file.Files.isDirectory(p)) { // the directory of qemu-system-<arch>
            binaries.put(monitor, p);
            return;
        }
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw new CliException("--binary " + monitor.wire() + ": no such file (got " + p + ")");
        }
        if (!java.nio.file.Files.isExecutable(p)) {
            throw new CliException("--binary " + monitor.wire() + ": not executable (got " + p + ")");
        }
        binaries.put(monitor, p);
    }

    private static Accel accel(String v) {
        try {
            return Accel.fromWire(v);
        } catch (IllegalArgumentException e) {
            throw new CliException("--accel: must be auto, kvm or tcg (got " + v + ")");
        }
    }

    private static long number(String name, String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(name + ": must be a whole number from " + min + " to " + max + " (got " + v + ")");
    }

}
