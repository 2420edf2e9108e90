package io.orchide.node.position;

import io.orchide.model.FieldValueException;

/**
 * The node cannot say where it is at an instant: it has no position source, or its GNSS receiver has no fix recent
 * enough and nothing stands in for it. The value is the source that could not answer.
 */
public final class PositionUnavailableException extends FieldValueException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public PositionUnavailableException(String source, String reason) {
        super("position", source, reason);
        this.reason = reason;
    }

    /** Why the source could not answer, without the field and value around it. */
    public String reason() {
        return reason;
    }
}
