package io.orchide.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/** Prints JSON replies as they came, for {@code -o json}. */
final class Printer {
    private Printer() {
    }

    static void json(PrintStream out, JsonNode n) {
        try {
            out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        } catch (JsonProcessingException e) {
            throw new CliException("cannot print reply: " + e.getMessage());
        }
    }
}
