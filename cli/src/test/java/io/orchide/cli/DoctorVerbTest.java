package io.orchide.cli;

import io.orchide.node.api.NodeApiSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor: the probes, then the node's storage measured now. */
class DoctorVerbTest {
    @RegisterExtension
    final FakeServer node = FakeServer.node();

    @Test
    void doctorShowsTheProbesAndHowFullTheStorageIs() {
        node.on("GET /api/v1/doctor", 200, NodeApiSamples.doctor("qemu-system-x86_64", true, "tcg"))
                .on("GET /api/v1/storage", 200, NodeApiSamples.storage("low", 8589934592L, 8455716864L, 134217728L,
                        8589934592L, 67108864L, 268435456L, 3, 1048576L));
        FakeServer.Result r = node.run("doctor");
        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("qemu-system-x86_64 +yes +tcg");
        assertThat(r.out()).contains("storage: low, 128.0MiB free of 8.0GiB (--storage-limit, reserve 64.0MiB, "
                + "low mark 256.0MiB); reclaimed 3 item(s) (1.0MiB)");
        assertThat(node.requests.get(1).query()).isEqualTo("refresh=true");
    }
}
