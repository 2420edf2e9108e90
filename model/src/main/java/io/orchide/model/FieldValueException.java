package io.orchide.model;

/**
 * A single input value was rejected: carries the offending field, its value and the reason, and says them the way
 * manifest validation does: {@code "latitudeDeg: must be within [-90, 90] (value: 91.0)"}.
 */
public class FieldValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    public FieldValueException(String field, Object value, String reason) {
        super(field + ": " + reason + " (value: " + value + ")");
        this.field = field;
        this.value = String.valueOf(value);
    }

    /** Name or path of the rejected field, e.g. {@code line1.checksum} or {@code latitudeDeg}. */
    public String field() {
        return field;
    }

    /** The rejected value as text. */
    public String value() {
        return value;
    }
}
