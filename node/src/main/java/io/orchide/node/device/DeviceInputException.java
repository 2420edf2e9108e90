package io.orchide.node.device;

/**
 * A value handed to a device (a position, a frame, a file name) was rejected. Carries the offending field and its
 * value, the way manifest and orbit validation report them: {@code "latitudeDeg: must be within [-90, 90] (value:
 * 91.0)"}.
 */
public final class DeviceInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    public DeviceInputException(String field, Object value, String reason) {
        super(field + ": " + reason + " (value: " + value + ")");
        this.field = field;
        this.value = String.valueOf(value);
    }

    /** Name of the rejected field, e.g. {@code latitudeDeg} or {@code name}. */
    public String field() {
        return field;
    }

    /** The rejected value as text. */
    public String value() {
        return value;
    }
}
