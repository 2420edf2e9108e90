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

    /** What {@code nvidia-smi --query-gpu=index,name,uuid,memory.total --format=csv,noheader} prints. */
    private static final List<String> SMI = List.of("0, NVIDIA H100 80GB HBM3, GPU-5e1d, 81559 MiB",
            "No devices were found");

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
        assertThat(found.get(5).reported()).containsEntry("model", "NVIDIA H100 80GB HBM3").containsEntry("uuid", "GPU-5e1d")
                .containsEntry("memory", "81559 MiB").containsEntry("index", "0");
        assertThat(found.get(5).device().path()).isEqualTo(dev.resolve("nvidia0").toString());
    }

    @Test
    void withoutNvidiaSmiTheGpuDeviceNodesAreTheGpus() throws IOException {
        fakeHardware();
        file(dev.resolve("nvidia1"), "");
        file(dev.resolve("nvidiactl"), "");
        file(dev.resolve("nvidia-uvm"), "");

        List<DeviceDiscovery.Found> gpus = new DeviceDiscovery(sys, dev, List::of).discover().stream()
                .filter(f -> f.device().deviceClass() == DeviceClass.GPU).toList();

        assertThat(gpus).extracting(f -> f.device().name()).containsExactly("gpu-1");
        assertThat(gpus.getFirst().device().path()).isEqualTo(dev.resolve("nvidia1").toString());
        assertThat(gpus.getFirst().reported()).containsEntry("index", "1").containsEntry("present", "true");
    }

    @Test
    void theIntegratorDeclaresAcceleratorsByClass() throws Exception {
        DevicesFile file = DevicesFile.parse("""
                devices:
                  - {name: npu-0, class: npu, path: /dev/accel0, properties: {pciAddress: "0000:03:00.0"}}
                  - {name: fpga-1, class: fpga}
                """);

        assertThat(file.devices()).extracting(Device::name, Device::deviceClass).containsExactly(
                org.assertj.core.groups.Tuple.tuple("npu-0", DeviceClass.NPU),
                org.assertj.core.groups.Tuple.tuple("fpga-1", DeviceClass.FPGA));
        assertThat(file.devices()).allMatch(d -> d.deviceClass().accelerator());
        assertThat(DeviceClass.CAMERA.accelerator()).isFalse();
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
