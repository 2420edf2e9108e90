package io.orchide.web.telemetry;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** This process's CPU time and memory, read from /proc, under the standard process_ names. */
class ProcessMetricsTest {
    @Test
    void theRunningJvmHasCpuTimeResidentMemoryAndOpenFiles() {
        Map<String, Double> v = new ProcessMetrics().collect().stream()
                .collect(Collectors.toMap(MetricFamily::name, f -> f.samples().getFirst().value()));
        assertThat(v.get("process_cpu_seconds_total")).isPositive();
        // a JVM's resident set is tens of MiB at least; a value in KiB taken for bytes would be far below this
        assertThat(v.get("process_resident_memory_bytes")).isGreaterThan(10 * 1024 * 1024);
        assertThat(v.get("process_virtual_memory_bytes")).isGreaterThan(v.get("process_resident_memory_bytes"));
        assertThat(v.get("process_open_fds")).isPositive();
        assertThat(v.get("process_start_time_seconds")).isBetween(1.6e9, System.currentTimeMillis() / 1000.0);
    }
}
