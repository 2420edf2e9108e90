package io.orchide.model;

/** Which runtime family, monitor, architecture and acceleration an App runs with. */
public record RuntimeSpec(Family family, Monitor monitor, Arch arch, Accel accel) {
    public RuntimeSpec {
        accel = accel == null ? Accel.AUTO : accel;
    }
}
