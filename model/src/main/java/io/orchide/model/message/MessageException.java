package io.orchide.model.message;

import io.orchide.model.FieldError;

import java.util.List;

/** A bundle payload that does not decode: every field at fault, with its path and value. */
public class MessageException extends Exception {
    private final transient List<FieldError> errors;

    public MessageException(String kind, List<FieldError> errors) {
        super(kind + ": " + errors.stream().map(FieldError::toString).reduce((a, b) -> a + "; " + b).orElse("invalid"));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() { return errors; }
}
