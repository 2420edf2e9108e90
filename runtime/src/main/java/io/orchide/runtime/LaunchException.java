package io.orchide.runtime;

/** A workload could not be launched; {@code field} names the manifest field at fault when there is one. */
public class LaunchException extends Exception {
    private final String field;
    private final String value;
    private final String reason;

    public LaunchException(String message) { this(null, null, message, null); }

    public LaunchException(String field, String value, String message) { this(field, value, message, null); }

    public LaunchException(String field, String value, String message, Throwable cause) {
        super(field == null ? message : field + ": " + message + (value == null ? "" : " (got " + value + ")"), cause);
        this.field = field;
        this.value = value;
        this.reason = message;
    }

    public String field() { return field; }

    public String value() { return value; }

    /** The message without the field and value. */
    public String reason() { return reason; }
}
