package io.orchide.runtime.supervise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} line format of the shim's pid and exit files. */
final class KeyValues {
    private KeyValues() {
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return kv;
    }

    static long number(Map<String, String> kv, String key, Path where) throws IOException {
        String v = kv.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IOException(where + ": " + key + " is not a number (got " + v + ")");
        }
    }
}
