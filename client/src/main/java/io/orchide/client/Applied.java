package io.orchide.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Objects;

/**
 * What the server said of one applied manifest: its reply as it came ({@code kind}, {@code name}, {@code result},
 * and from ground the {@code generation}), the satellite it went to through ground (null when sent to a node), and
 * ground's {@code delivery}: when the satellite's uplink queue, this change included, will be through (a missing
 * node when sent to a node or by a ground that does not say).
 */
public record Applied(JsonNode reply, String satellite, JsonNode delivery) {
    public Applied {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(delivery, "delivery");
    }

    public Applied(JsonNode reply, String satellite) {
        this(reply, satellite, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
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
