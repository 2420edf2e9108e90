package io.orchide.twin.orbit;

/**
 * An orbit input (TLE, ground station) was rejected. Carries the offending field and its value so
 * that callers can report them the way manifest validation does.
 */
public final class OrbitInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    public OrbitInputException(String field, Object value, String reason) {
        super(field + ": " + reason + " (value: " + value + ")");
        this.field = field;
        this.value = String.valueOf(value);
    }

    /** Path of the rejected field, e.g. {@code line1.checksum} or {@code latitudeDeg}. */
    public String field() {
        return field;
    }

    /** The rejected value as text. */
    public String value() {
        return value;
    }
}
