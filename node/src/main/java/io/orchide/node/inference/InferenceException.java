package io.orchide.node.inference;

/**
 * A model could not be loaded or run: {@code code} a program acts on ({@code bad_input}, {@code failed}), the message
 * naming the model, the field and the value.
 */
public final class InferenceException extends Exception {
    private static final long serialVersionUID = 1L;
    public static final String BAD_INPUT = "invalid", FAILED = "failed";

    private final String code;
    private final String field;

    public InferenceException(String code, String field, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    /** The request's field at fault, or null. */
    public String field() {
        return field;
    }
}
