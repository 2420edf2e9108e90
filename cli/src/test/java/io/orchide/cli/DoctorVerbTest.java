package io.orchide.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor: the probes, then the node's storage measured now. */
class DoctorVerbTest {
    private FakeNode node;

    @BeforeEach
    void start() throws Exception { node = new FakeNode(); }

    @AfterEach
    void stop() { node.close(); }

    @Test
    void doctorShowsTheProbesAndHowFullTheStorageIs() {
        node.on("GET /api/v1/doctor", 200, """
                {"probes": [{"name": "qemu-system-x86_64", "available": true, "reason": "tcg"}]}""")
            .on("GET /api/v1/storage", 200, """
                {"level": "low", "capacityBytes": 8589934592, "usedBytes": 8455716864, "freeBytes": 134217728,
                 "limitBytes": 8589934592, "reserveBytes": 67108864, "lowBytes": 268435456, "reclaimedItems": 3,
                 "reclaimedBytes": 1048576, "changes": []}""");
        FakeNode.Result r = node.run("doctor");
        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("qemu-system-x86_64 +yes +tcg");
        assertThat(r.out()).contains("storage: low, 128.0MiB free of 8.0GiB (--storage-limit, reserve 64.0MiB, "
                + "low mark 256.0MiB); reclaimed 3 item(s) (1.0MiB)");
        assertThat(node.requests.get(1).query()).isEqualTo("refresh=true");
    }
}
