package io.orchide.node.link;

import io.orchide.model.Arch;
import io.orchide.model.message.NodeHello;
import io.orchide.node.accel.Accelerator;
import io.orchide.node.accel.AcceleratorPool;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.Probe;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NodeFactsTest {
    @Test
    void theHelloNamesTheNodesAcceleratorsWithWhatTheHardwareSays() throws Exception {
        AcceleratorPool pool = AcceleratorPool.open(List.of(new Accelerator("gpu-0", "gpu", List.of("/dev/nvidia0"),
                null, "0", Map.of("model", "NVIDIA H100 80GB HBM3", "memory", "81559 MiB"))), null);

        NodeHello hello = NodeHello.decode(NodeFacts.hello("n1", Arch.X86_64, new Capacity(2, 2048),
                List.of(new Probe("qemu", true, "ok", Map.of())), pool.toJson(), "0.1.0").encode());

        assertThat(hello.accelerators()).isEqualTo(
                "[{\"name\":\"gpu-0\",\"class\":\"gpu\",\"memory\":\"81559 MiB\",\"model\":\"NVIDIA H100 80GB HBM3\"}]");
        assertThat(hello.monitors()).containsExactly("qemu");
    }

    @Test
    void aNodeWithoutAcceleratorsSaysSo() throws Exception {
        NodeHello hello = NodeHello.decode(NodeFacts.hello("n1", Arch.X86_64, new Capacity(2, 2048), List.of(),
                AcceleratorPool.none().toJson(), "0.1.0").encode());

        assertThat(hello.accelerators()).isEqualTo("[]");
    }
}
