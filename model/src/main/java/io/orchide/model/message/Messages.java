package io.orchide.model.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.codec.Cursor;
import io.orchide.model.codec.Errors;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/** Reading and writing of the JSON payloads: a payload is one JSON object; every field read is checked. */
final class Messages {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Messages() {
    }

    static byte[] bytes(ObjectNode o) { return Trees.toJsonBytes(o, false); }

    /** Parses {@code payload} as one JSON object and reads it with {@code reader}, reporting every fault at once. */
    static <T> T read(String kind, byte[] payload, Function<Cursor, T> reader) throws MessageException {
        JsonNode root;
        try {
            root = Trees.readJson(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MessageException(kind, List.of(new FieldError("", null, "not readable: " + e.getMessage())));
        } catch (IOException e) {
            throw new MessageException(kind, List.of(new FieldError("", null, "not readable: " + e.getMessage())));
        }
        Errors errors = new Errors();
        Cursor c = Cursor.root(root, "", errors);
        if (!c.mapping()) {
            if (errors.isEmpty()) c.missing();
            throw new MessageException(kind, errors.list());
        }
        T value = reader.apply(c);
        try {
            errors.throwIfAny();
        } catch (ManifestException e) {
            throw new MessageException(kind, e.errors());
        }
        return value;
    }

    static Instant instant(Cursor c, boolean required) {
        String s = required ? c.requiredString() : c.nonEmptyString();
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            c.error("must be an ISO-8601 instant");
            return null;
        }
    }

    static void putInstant(ObjectNode o, String name, Instant at) {
        if (at != null) o.put(name, at.toString());
    }

    static void putText(ObjectNode o, String name, String value) {
        if (value != null) o.put(name, value);
    }
}
