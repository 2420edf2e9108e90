package io.orchide.node.device;

/** What kind of device a device is: how it is found, what its verbs do, and how it is shown. */
public enum DeviceClass {
    CAMERA("camera"), GNSS("gnss"), I2C("i2c"), SPI("spi"), CAN("can"), RADIO("radio"), GPU("gpu"), FPGA("fpga"),
    SENSOR("sensor"), OTHER("other");

    private final String wire;

    DeviceClass(String wire) {
        this.wire = wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
