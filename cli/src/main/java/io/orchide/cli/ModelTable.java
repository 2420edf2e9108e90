package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** {@code get models} on a node: NAME TENANT VERSION ACCELERATORS DIGEST PRESENT LOADED. */
final class ModelTable {
    /** Characters of the digest's hex shown, as {@code docker images} shows ids. */
    static final int SHORT = 12;

    private ModelTable() {
    }

    static Table of(JsonNode items) {
        Table t = new Table("NAME", "TENANT", "VERSION", "ACCELERATORS", "DIGEST", "PRESENT", "LOADED");
        for (JsonNode m : items) {
            String digest = m.path("digest").asText();
            String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
            t.row(m.path("name").asText(), m.path("tenant").asText(), m.path("version").asText(),
                    join(m.path("accelerators")), "sha256:" + hex.substring(0, Math.min(SHORT, hex.length())),
                    m.path("present").asBoolean() ? "yes" : "no", m.path("loaded").asBoolean() ? "yes" : "no");
        }
        return t;
    }

    private static String join(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return String.join(",", out);
    }
}
