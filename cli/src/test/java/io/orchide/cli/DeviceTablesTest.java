package io.orchide.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceTablesTest {
    private static String describe(String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeviceTables.describe(new ObjectMapper().readTree(json), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void describeDeviceSaysWhichRunReservedAnAccelerator() throws Exception {
        assertThat(describe("""
                {"name": "gpu-0", "class": "gpu", "state": "ready", "source": "file", "leasedBy": "run/detect-1"}
                """)).containsPattern("Held by:\\s+run/detect-1");
        assertThat(describe("""
                {"name": "gpu-0", "class": "gpu", "state": "ready", "source": "file"}
                """)).containsPattern("Held by:\\s+-\\n");
    }
}
