package io.orchide.node.dataset;

/** A dataset, or a file in one, that is not on this node. */
public final class NoSuchDatasetException extends Exception {
    private final String field;
    private final String value;

    public NoSuchDatasetException(String field, String value, String message) {
        super(message);
        this.field = field;
        this.value = value;
    }

    /** The request field that names what is missing ({@code dataset}, {@code file}, {@code to}). */
    public String field() { return field; }

    public String value() { return value; }
}
