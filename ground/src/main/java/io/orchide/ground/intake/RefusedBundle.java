package io.orchide.ground.intake;

import io.orchide.model.FieldError;

import java.util.List;

/** A bundle ground will not take: its kind is unknown or its payload does not decode. Names the field and value. */
public class RefusedBundle extends Exception {
    private final transient List<FieldError> errors;

    public RefusedBundle(String bundleId, String message, List<FieldError> errors) {
        super("bundle " + bundleId + " refused: " + message);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() { return errors; }
}
