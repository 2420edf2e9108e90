package io.orchide.runtime;

/**
 * A workload could not be launched; {@code field} names the manifest field at fault when there is one. The message
 * names field and value once; {@link #reason()} is the message without them, for callers that show the field and
 * the value in their own columns (an API's field errors).
 */
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

    /** Why the launch failed, without the field and the value. */
    public String reason() { return reason; }

    public String field() { return field; }

    public String value() { return value; }
}
