package io.orchide.node.dataset;

import io.orchide.model.FieldError;

import java.util.List;

/** A Dataset manifest, or a use of a dataset, the node does not take, with the fields and values at fault. */
public final class DatasetRefusedException extends Exception {
    private final List<FieldError> errors;

    public DatasetRefusedException(String message, List<FieldError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
