package io.orchide.link;

/** A bundle or frame refused, with the field and value at fault. */
public class LinkException extends RuntimeException {
    private final String field;
    private final transient Object value;

    public LinkException(String field, Object value, String message) {
        super(field + " " + (value == null ? "" : "'" + value + "' ") + message);
        this.field = field;
        this.value = value;
    }

    public String field() { return field; }

    public Object value() { return value; }
}
