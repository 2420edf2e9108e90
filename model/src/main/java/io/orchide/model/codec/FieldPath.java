package io.orchide.model.codec;

import java.util.regex.Pattern;

/** Builds field paths such as {@code spec.inputs[1].mountPath} or {@code metadata.labels["orchide.io/team"]}. */
public final class FieldPath {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private FieldPath() {
    }

    /** The path of field {@code name} under {@code parent} ("" is the document root). */
    public static String child(String parent, String name) {
        if (!PLAIN_KEY.matcher(name).matches()) {
            return parent + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
        }
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** The path of list item {@code index} under {@code parent}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
