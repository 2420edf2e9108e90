package io.orchide.model;

import java.util.List;
import java.util.stream.Collectors;

/** A manifest was rejected; carries every error found, each with its field path and offending value. */
public class ManifestException extends Exception {
    private final transient List<FieldError> errors;

    public ManifestException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public ManifestException(FieldError error) { this(List.of(error)); }

    public List<FieldError> errors() { return errors; }
}
