package io.orchide.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Objects;

/**
 * What the server said of one applied manifest: its reply as it came ({@code kind}, {@code name}, {@code result},
 * and from ground the {@code generation}), and the satellite it went to through ground (null when sent to a node).
 */
public record Applied(JsonNode reply, String satellite) {
    public Applied {
        Objects.requireNonNull(reply, "reply");
    }

    /** One line for a person: {@code app/hello configured}, and through ground when the satellite will have it. */
    public String line() {
        String head = reply.path("kind").asText().toLowerCase(Locale.ROOT) + "/" + reply.path("name").asText() + " "
                + reply.path("result").asText();
        if (satellite == null) return head;
        return head + " (generation " + reply.path("generation").asText() + ", delivered to " + satellite
                + " at its next contact)";
    }
}
