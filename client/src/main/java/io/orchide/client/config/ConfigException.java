package io.orchide.client.config;

import java.nio.file.Path;

/**
 * A client configuration file that cannot be used, or a value refused before it is written there: names the file, the
 * field and the offending value (a token's value is never given, only what is wrong with it).
 */
public final class ConfigException extends RuntimeException {
    private final transient Path file;
    private final String field;

    public ConfigException(Path file, String field, String message) {
        super(file + ": " + (field.isEmpty() ? "" : field + ": ") + message);
        this.file = file;
        this.field = field;
    }

    public Path file() { return file; }

    /** The field's path in the file ({@code contexts[1].server}); empty for the file as a whole. */
    public String field() { return field; }
}
