package io.orchide.node;

import io.orchide.model.Accel;
import io.orchide.model.Monitor;
import io.orchide.node.device.DeviceDiscovery;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.storage.StorageBudget;
import io.orchide.node.workload.Capacity;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How an agent is set up: its data directory (database, workload directories, console rings), the API
 * address, the compute it offers to workloads, monitor binaries, acceleration override, the clock, how it
 * reaches ground (null: it does not), the storage budget of its data directory, and its devices (the integrator's
 * devices file; {@link DevicesFile#NONE}: what discovery finds) with what finds them ({@code discovery}, null: the
 * host's {@code /sys}, {@code /dev} and {@code nvidia-smi}), and the width of one housekeeping interval
 * ({@code housekeepingInterval}, null: {@link #DEFAULT_HOUSEKEEPING_INTERVAL}; ground's setting for the satellite, when
 * it sent one, is taken over it).
 */
public record NodeConfig(Path dataDir, InetSocketAddress listen, Capacity capacity, Accel accel,
                         Map<Monitor, Path> binaries, long logMaxBytes, Clock clock, Duration agingStep,
                         GroundSettings ground, StorageBudget storage, DevicesFile devices, DeviceDiscovery discovery,
                         Duration housekeepingInterval) {
    /** How often a queued run gains one priority point while it waits, unless configured. */
    public static final Duration DEFAULT_AGING_STEP = Duration.ofMinutes(10);
    public static final Duration DEFAULT_HOUSEKEEPING_INTERVAL = io.orchide.node.housekeeping.Housekeeper.DEFAULT_INTERVAL;

    public NodeConfig {
        binaries = binaries == null ? Map.of() : Map.copyOf(binaries);
        clock = clock == null ? Clock.systemUTC() : clock;
        accel = accel == null ? Accel.AUTO : accel;
        agingStep = agingStep == null ? DEFAULT_AGING_STEP : agingStep;
        storage = storage == null ? StorageBudget.WHOLE_DISK : storage;
        devices = devices == null ? DevicesFile.NONE : devices;
        discovery = discovery == null ? DeviceDiscovery.host() : discovery;
        housekeepingInterval = housekeepingInterval == null ? DEFAULT_HOUSEKEEPING_INTERVAL : housekeepingInterval;
    }

    public NodeConfig(Path dataDir, InetSocketAddress listen, Capacity capacity, Accel accel,
                      Map<Monitor, Path> binaries, long logMaxBytes, Clock clock, Duration agingStep,
                      GroundSettings ground, StorageBudget storage, DevicesFile devices, DeviceDiscovery discovery) {
        this(dataDir, listen, capacity, accel, binaries, logMaxBytes, clock, agingStep, ground, storage, devices,
                discovery, null);
    }

    public NodeConfig(Path dataDir, InetSocketAddress listen, Capacity capacity, Accel accel,
                      Map<Monitor, Path> binaries, long logMaxBytes, Clock clock, Duration agingStep,
                      GroundSettings ground, StorageBudget storage) {
        this(dataDir, listen, capacity, accel, binaries, logMaxBytes, clock, agingStep, ground, storage, null, null);
    }

    public NodeConfig(Path dataDir, InetSocketAddress listen, Capacity capacity, Accel accel,
                      Map<Monitor, Path> binaries, long logMaxBytes, Clock clock) {
        this(dataDir, listen, capacity, accel, binaries, logMaxBytes, clock, null, null, null, null, null);
    }

    /**
     * How the node reaches ground, or null for a node on its own: the {@code satellite} it belongs to, the ground
     * link addresses it dials ({@code host:port[,host:port...]}, tried in turn; a name stands for each of its
     * addresses), its own {@code nodeName}, the transmit rate (0 = unlimited), and
     * how long after a change a status report waits for more changes to go with it ({@code reportDelay}), and the
     * session's liveness: the silence after which the node sends a keepalive ({@code keepalive}) and after which it
     * takes ground for gone and dials another address ({@code idleTimeout}); null: the link's defaults; and
     * {@code groundKeys}, the files of ground's public key(s) the node pins: the link is mutual TLS with the node's own
     * key ({@code node.key} in the data dir) and accepts only a ground proving one of these. Empty: a plain link that
     * authenticates nobody, for tests of the node alone (the command line always pins a key).
     */
    public record GroundSettings(String satellite, String address, String nodeName, long rateBytesPerSecond,
                                 Duration reportDelay, Duration keepalive, Duration idleTimeout, List<Path> groundKeys) {
        public GroundSettings {
            reportDelay = reportDelay == null ? Duration.ofSeconds(2) : reportDelay;
            groundKeys = groundKeys == null ? List.of() : List.copyOf(groundKeys);
        }

        /** A plain, unauthenticated link: for tests only. */
        public GroundSettings(String satellite, String address, String nodeName, long rateBytesPerSecond,
                              Duration reportDelay, Duration keepalive, Duration idleTimeout) {
            this(satellite, address, nodeName, rateBytesPerSecond, reportDelay, keepalive, idleTimeout, null);
        }

        /** A plain, unauthenticated link: for tests only. */
        public GroundSettings(String satellite, String address, String nodeName, long rateBytesPerSecond,
                              Duration reportDelay) {
            this(satellite, address, nodeName, rateBytesPerSecond, reportDelay, null, null, null);
        }

        /** Whether the link is mutual TLS with pinned keys (always, from the command line). */
        public boolean secure() { return !groundKeys.isEmpty(); }
    }
}
