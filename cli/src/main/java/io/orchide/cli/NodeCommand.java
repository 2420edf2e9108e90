package io.orchide.cli;

import io.orchide.model.Accel;
import io.orchide.model.Monitor;
import io.orchide.node.NodeAgent;
import io.orchide.node.NodeConfig;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.RuntimeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code orchide node}: runs the on-board agent until it is signalled. */
@Command(name = "node", description = "Run the on-board agent of a payload computer.")
final class NodeCommand implements Runnable {
    @Option(names = "--data-dir", required = true, description = "Where the agent keeps its database and workloads")
    Path dataDir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:7100", description = "API address host:port (default ${DEFAULT-VALUE})")
    String listen;

    /** vCPUs are time-shared threads of the monitors: by default the node offers this many per host processor. */
    static final int VCPUS_PER_PROCESSOR = 4;

    @Option(names = "--vcpus", description = "vCPUs offered to workloads (default: 4 per host processor; memory is never overcommitted)")
    Integer vcpus;

    @Option(names = "--memory-mib", description = "Memory offered to workloads in MiB (default: host memory less 256 MiB)")
    Long memoryMiB;

    @Option(names = "--accel", defaultValue = "auto", description = "auto (probe KVM per monitor), kvm or tcg")
    String accel;

    @Option(names = "--binary", description = "Monitor binary path, e.g. --binary solo5-hvt=/opt/solo5/bin/solo5-hvt")
    Map<String, Path> binaries = Map.of();

    @Option(names = "--log-max-bytes", description = "Bound of each workload's console ring (default 1 MiB)")
    long logMaxBytes = RuntimeConfig.DEFAULT_LOG_MAX_BYTES;

    @Override
    public void run() {
        NodeConfig cfg = config();
        try (NodeAgent agent = NodeAgent.start(cfg)) {
            System.out.println("orchide node " + NodeAgent.VERSION + " listening on http://"
                    + agent.address().getHostString() + ":" + agent.address().getPort() + " (data " + cfg.dataDir() + ")");
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(done::countDown));
            done.await();
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw new CliException("node failed: " + e.getMessage());
        }
    }

    NodeConfig config() {
        Capacity host = Capacity.ofHost(256);
        Capacity cap = new Capacity(vcpus != null ? vcpus : host.vcpus() * VCPUS_PER_PROCESSOR,
                memoryMiB != null ? memoryMiB : host.memoryMiB());
        if (cap.vcpus() < 1 || cap.memoryMiB() < 1) throw new CliException("--vcpus and --memory-mib must be at least 1");
        Map<Monitor, Path> bins = new EnumMap<>(Monitor.class);
        binaries.forEach((k, v) -> {
            try {
                bins.put(Monitor.fromWire(k), v.toAbsolutePath());
            } catch (IllegalArgumentException e) {
                throw new CliException("--binary: unknown monitor " + k);
            }
        });
        Accel a;
        try {
            a = Accel.fromWire(accel);
        } catch (IllegalArgumentException e) {
            throw new CliException("--accel: must be auto, kvm or tcg (got " + accel + ")");
        }
        return new NodeConfig(dataDir.toAbsolutePath(), address(listen), cap, a, bins, logMaxBytes, Clock.systemUTC());
    }

    static InetSocketAddress address(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        try {
            if (i <= 0) throw new NumberFormatException();
            int port = Integer.parseInt(hostPort.substring(i + 1));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return new InetSocketAddress(hostPort.substring(0, i), port);
        } catch (NumberFormatException e) {
            throw new CliException("--listen: expected host:port (got " + hostPort + ")");
        }
    }
}
