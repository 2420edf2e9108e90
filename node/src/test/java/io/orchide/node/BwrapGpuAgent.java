package io.orchide.node;

import io.orchide.node.device.DevicesFile;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.process.BwrapDriver;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** The node agent the model tests start: one GPU, {@code gpu-0}, and processes under bwrap as its only workloads. */
final class BwrapGpuAgent {
    private BwrapGpuAgent() {
    }

    /** Starts (or starts again) the agent whose data directory is {@code dir}, on a free local port. */
    static NodeAgent start(Path dir) throws Exception {
        DevicesFile devices = DevicesFile.parse("""
                discover: false
                devices: [{name: gpu-0, class: gpu}]
                """);
        return NodeAgent.start(new NodeConfig(dir, new InetSocketAddress("127.0.0.1", 0), new Capacity(2, 512), null, null,
                64 * 1024, null, null, null, null, devices, null), rc -> List.of(new BwrapDriver(rc)));
    }
}
