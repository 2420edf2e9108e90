package io.orchide.runtime.qemu;

import io.orchide.runtime.HostDevice;
import io.orchide.runtime.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** VFIO only where the host allows it, on a fake /sys and /dev; every refusal names the accelerator and why. */
class VfioTest {
    private static final String ADDR = "0000:01:00.0";

    @TempDir
    Path root;

    private Path sys() {
        return root.resolve("sys");
    }

    private Path dev() {
        return root.resolve("dev");
    }

    private void pciDevice(String driver, String group) throws Exception {
        Path pci = Files.createDirectories(sys().resolve("bus/pci/devices").resolve(ADDR));
        Path drivers = Files.createDirectories(sys().resolve("bus/pci/drivers").resolve(driver));
        Files.createSymbolicLink(pci.resolve("driver"), drivers);
        Path groups = Files.createDirectories(sys().resolve("kernel/iommu_groups").resolve(group));
        Files.createSymbolicLink(pci.resolve("iommu_group"), groups);
    }

    private static HostDevice gpu(String addr) {
        return new HostDevice("gpu-0", "gpu", List.of("/dev/nvidia0"), addr);
    }

    private LaunchException refusal(HostDevice d) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> new Vfio(sys(), dev()).arguments(List.of(d)));
        assertThat(t).isInstanceOf(LaunchException.class);
        LaunchException e = (LaunchException) t;
        assertThat(e.field()).isEqualTo("spec.resources.accelerators");
        assertThat(e.getMessage()).contains("gpu-0");
        return e;
    }

    @Test
    void aDeviceBoundToVfioPciWithItsGroupNodeIsPassedThrough() throws Exception {
        pciDevice("vfio-pci", "17");
        Files.createDirectories(dev().resolve("vfio"));
        Files.writeString(dev().resolve("vfio/17"), "");

        assertThat(new Vfio(sys(), dev()).arguments(List.of(gpu(ADDR))))
                .containsExactly("-device", "vfio-pci,host=" + ADDR);
    }

    @Test
    void anAcceleratorWithoutAPciAddressIsRefused() {
        assertThat(refusal(gpu(null)).getMessage()).contains("no PCI address");
    }

    @Test
    void aDeviceTheHostDriverHoldsIsRefused() throws Exception {
        pciDevice("nvidia", "17");
        assertThat(refusal(gpu(ADDR)).getMessage()).contains("bound to nvidia, not vfio-pci");
    }

    @Test
    void aDeviceNotOnTheHostIsRefused() {
        assertThat(refusal(gpu(ADDR)).getMessage()).contains("not on this host");
    }

    @Test
    void aGroupWithoutItsVfioNodeIsRefused() throws Exception {
        pciDevice("vfio-pci", "17");
        assertThat(refusal(gpu(ADDR)).getMessage()).contains("no VFIO group node");
    }

    @Test
    void aLogicalAcceleratorHasNothingToPass() throws Exception {
        HostDevice simulated = new HostDevice("gpu-sim", "gpu", List.of(), null);
        assertThat(new Vfio(sys(), dev()).arguments(List.of(simulated))).isEmpty();
    }

    @Test
    void aMalformedAddressIsRefused() {
        assertThatThrownBy(() -> new Vfio(sys(), dev()).arguments(List.of(gpu("01:00"))))
                .hasMessageContaining("01:00");
    }
}
