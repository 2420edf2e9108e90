package io.orchide.node.pipeline.run;

import io.orchide.model.FieldError;

import java.util.List;

/** A pipeline, or a run of one, the node cannot take, with the fields and values at fault. Nothing was changed. */
public class PipelineRefusedException extends Exception {
    private final List<FieldError> errors;

    public PipelineRefusedException(String message, List<FieldError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
