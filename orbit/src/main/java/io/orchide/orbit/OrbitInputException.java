package io.orchide.orbit;

import io.orchide.model.FieldValueException;

/** An orbit input (TLE, ground station) was rejected, with its field and value. */
public final class OrbitInputException extends FieldValueException {
    private static final long serialVersionUID = 1L;

    public OrbitInputException(String field, Object value, String reason) {
        super(field, value, reason);
    }
}
