package io.orchide.web;

import io.orchide.model.FieldError;

import java.util.List;

/** An API call failed in a way the client should be told: HTTP status, code, message, offending fields. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final transient List<FieldError> errors;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message, List<FieldError> errors) {
        this(status, code, message, errors, 0, null);
    }

    public ApiException(int status, String code, String message) { this(status, code, message, List.of()); }

    /**
     * A failure the client may ask again after {@code retryAfterSeconds} (sent as {@code Retry-After}; 0 sends none),
     * with the {@code cause} behind it.
     */
    public ApiException(int status, String code, String message, List<FieldError> errors, long retryAfterSeconds,
                        Throwable cause) {
        super(message, cause);
        if (retryAfterSeconds < 0) throw new IllegalArgumentException("retryAfterSeconds must not be negative: " + retryAfterSeconds);
        this.status = status;
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which the client may try again ({@code Retry-After}), or 0. */
    public long retryAfterSeconds() { return retryAfterSeconds; }

    public int status() { return status; }

    public String code() { return code; }

    public List<FieldError> errors() { return errors; }

    /** Adds what a kind of failure says beyond code, message and fields to the error's JSON {@code body}; nothing here. */
    public void details(com.fasterxml.jackson.databind.node.ObjectNode body) {
    }
}
