package io.orchide.node.device;

/** What kind of device a device is: how it is found, what its verbs do, and how it is shown. */
public enum DeviceClass {
    CAMERA("camera"), GNSS("gnss"), I2C("i2c"), SPI("spi"), CAN("can"), RADIO("radio"), GPU("gpu"), NPU("npu"),
    FPGA("fpga"),
    SENSOR("sensor"), OTHER("other");

    private final String wire;

    DeviceClass(String wire) {
        this.wire = wire;
    }

    /** Whether it is an accelerator: a device a workload holds alone, asked for in {@code resources.accelerators}. */
    public boolean accelerator() {
        return this == GPU || this == NPU || this == FPGA;
    }

    @Override
    public String toString() {
        return wire;
    }
}
