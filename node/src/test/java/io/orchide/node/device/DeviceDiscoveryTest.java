package io.orchide.node.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceDiscoveryTest {
    @TempDir
    Path root;

    private Path sys, dev;

    private void file(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content + "\n");
    }

    private void fakeHardware() throws IOException {
        sys = root.resolve("sys");
        dev = root.resolve("dev");
        file(dev.resolve("video0"), "");
        file(sys.resolve("class/video4linux/video0/name"), "UVC Camera");
        file(dev.resolve("i2c-1"), "");
        file(sys.resolve("class/i2c-dev/i2c-1/name"), "Synopsys DesignWare I2C adapter");
        file(sys.resolve("class/spidev/spidev0.1/uevent"), "");
        file(sys.resolve("class/net/can0/type"), "280");
        file(sys.resolve("class/net/can0/operstate"), "up");
        file(sys.resolve("class/net/eth0/type"), "1");
        file(sys.resolve("class/fpga_manager/fpga0/name"), "Xilinx ZynqMP FPGA Manager");
        file(sys.resolve("class/fpga_manager/fpga0/state"), "operating");
    }

    private static final List<String> SMI = List.of("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-5e1d)", "not a gpu line");

    @Test
    void findsWhatTheHardwareShowsWithWhatItReports() throws IOException {
        fakeHardware();
        List<DeviceDiscovery.Found> found = new DeviceDiscovery(sys, dev, () -> SMI).discover();
        assertThat(found).extracting(f -> f.device().name(), f -> f.device().deviceClass()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("video0", DeviceClass.CAMERA),
                org.assertj.core.groups.Tuple.tuple("i2c-1", DeviceClass.I2C),
                org.assertj.core.groups.Tuple.tuple("spidev0-1", DeviceClass.SPI),
                org.assertj.core.groups.Tuple.tuple("can0", DeviceClass.CAN),
                org.assertj.core.groups.Tuple.tuple("fpga0", DeviceClass.FPGA),
                org.assertj.core.groups.Tuple.tuple("gpu-0", DeviceClass.GPU));
        assertThat(found.get(0).reported()).containsEntry("model", "UVC Camera").containsEntry("present", "true");
        assertThat(found.get(2).reported()).containsEntry("present", "false"); // no /dev/spidev0.1
        assertThat(found.get(3).reported()).containsEntry("operstate", "up");
        assertThat(found.get(4).reported()).containsEntry("state", "operating");
        assertThat(found.get(5).reported()).containsEntry("model", "NVIDIA H100 80GB HBM3").containsEntry("uuid", "GPU-5e1d");
    }

    @Test
    void aMachineWithoutDevicesHasNone() {
        assertThat(new DeviceDiscovery(root.resolve("sys"), root.resolve("dev"), List::of).discover()).isEmpty();
    }

    @Test
    void aDeclaredDeviceTakesTheDiscoveredOneOfItsPathAndAMissingNodeShows() throws Exception {
        fakeHardware();
        DevicesFile file = DevicesFile.parse("""
                devices:
                  - {name: camera-1, class: camera, path: %s, properties: {gain: "2"}}
                  - {name: star-tracker, class: sensor, path: %s}
                """.formatted(dev.resolve("video0"), dev.resolve("ttyS7")));
        DeviceTwin twin = new DeviceTwin(file, new DeviceDiscovery(sys, dev, () -> SMI).discover());

        assertThat(twin.list()).extracting(DeviceTwin.View::name)
                .containsExactly("camera-1", "star-tracker", "i2c-1", "spidev0-1", "can0", "fpga0", "gpu-0");
        DeviceTwin.View camera = twin.get("camera-1").orElseThrow();
        assertThat(camera.reported()).containsEntry("model", "UVC Camera");
        assertThat(camera.pending()).isEqualTo(Map.of("gain", "2"));
        assertThat(camera.state()).isEqualTo(DeviceTwin.READY);
        assertThat(twin.get("star-tracker").orElseThrow().state()).isEqualTo(DeviceTwin.MISSING);

        twin.report("camera-1", Map.of("gain", "2"));
        assertThat(twin.get("camera-1").orElseThrow().pending()).isEmpty();
    }

    @Test
    void withDiscoveryOffOnlyTheDeclaredDevicesAreListed() throws Exception {
        fakeHardware();
        DevicesFile file = DevicesFile.parse("discover: false\ndevices: [{name: gnss-1, class: gnss}]");
        assertThat(new DeviceTwin(file, new DeviceDiscovery(sys, dev, () -> SMI).discover()).list())
                .extracting(DeviceTwin.View::name).containsExactly("gnss-1");
    }
}
