package io.orchide.web;

import io.orchide.model.FieldError;

import java.util.List;

/** An API call failed in a way the client should be told: HTTP status, code, message, offending fields. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final transient List<FieldError> errors;

    public ApiException(int status, String code, String message, List<FieldError> errors) {
        super(message);
        this.status = status;
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ApiException(int status, String code, String message) { this(status, code, message, List.of()); }

    public int status() { return status; }

    public String code() { return code; }

    public List<FieldError> errors() { return errors; }
}
