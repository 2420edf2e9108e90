package io.orchide.node.pipeline.workspace;

import io.orchide.model.DataRef;

/**
 * A step's input (or forEach items) cannot be resolved yet: its producer has not succeeded, its file is missing,
 * the run has no trigger file. {@code field} names the manifest field, e.g. {@code spec.steps[2].inputs[0].from}.
 */
public class UnresolvedInputException extends RuntimeException {
    private final String field;
    private final DataRef reference;

    public UnresolvedInputException(String field, DataRef reference, String reason) {
        super(field + ": " + reference + ": " + reason);
        this.field = field;
        this.reference = reference;
    }

    public String field() {
        return field;
    }

    public DataRef reference() {
        return reference;
    }
}
