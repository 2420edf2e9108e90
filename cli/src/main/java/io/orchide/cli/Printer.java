package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/** Prints JSON replies as they came, for {@code -o json}. */
final class Printer {
    private Printer() {
    }

    static void json(PrintStream out, JsonNode n) {
        out.println(ApiClient.JSON.pretty(n));
    }
}
