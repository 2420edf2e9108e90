package io.orchide.model.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;

import java.util.ArrayList;
import java.util.List;

/** Collects every {@link FieldError} found while reading a manifest, so that all are reported at once. */
public final class Errors {
    private static final int MAX_VALUE_CHARS = 80;

    private final List<FieldError> list = new ArrayList<>();

    /** Records an error at {@code path}; {@code value} (may be null) is rendered as JSON, shortened when long. */
    public void add(String path, JsonNode value, String message) {
        list.add(new FieldError(path, render(value), message));
    }

    public void add(FieldError error) {
        list.add(error);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<FieldError> list() {
        return List.copyOf(list);
    }

    /** Throws a {@link ManifestException} carrying every error collected, if there is any. */
    public void throwIfAny() throws ManifestException {
        if (!list.isEmpty()) throw new ManifestException(list);
    }

    static String render(JsonNode value) {
        if (value == null || value.isMissingNode()) return null;
        // a number too large for a double is read as infinite; JSON has no such number, and would quote it
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) return value.asText();
        String s = Trees.toJson(value, false);
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS - 3) + "...";
    }
}
