package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.Map;

/** The {@code Label:   value} lines of describe, indented per block. */
final class Fields {
    private final PrintStream out;
    private final String indent;

    Fields(PrintStream out, String indent) {
        this.out = out;
        this.indent = indent;
    }

    Fields field(String label, Object value) {
        out.printf("%s%-13s%s%n", indent, label + ":", value);
        return this;
    }

    /** A field only when the JSON value is there and not null. */
    Fields optional(String label, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) return this;
        return field(label, value.asText());
    }

    /** {@code Label:} and one {@code name: path} line per entry, or {@code Label: -} when there is none. */
    Fields map(String label, JsonNode map) {
        if (map.isEmpty()) return field(label, "-");
        out.println(indent + label + ":");
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            out.println(indent + "  " + e.getKey() + ": " + e.getValue().asText());
        }
        return this;
    }

    /** A heading, then fields indented under it. */
    Fields block(String heading) {
        out.println(indent + heading);
        return new Fields(out, indent + "  ");
    }
}
