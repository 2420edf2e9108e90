package io.orchide.runtime.solo5;

import io.orchide.model.Accel;
import io.orchide.model.Monitor;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs only where a real solo5-hvt is installed (it is not a Debian package). */
class Solo5TenderTest {
    @Test
    void probesTheInstalledTender() {
        Solo5Driver d = new Solo5Driver(new RuntimeConfig(null, Map.of(), Accel.AUTO, 0, Path.of("/tmp")));
        assumeTrue(d.tender(Monitor.SOLO5_HVT).isPresent(), "solo5-hvt is not on PATH on this host");
        Probe hvt = d.probe().getFirst();
        assertThat(hvt.details()).containsKeys("binary", "version", "kvm");
    }
}
