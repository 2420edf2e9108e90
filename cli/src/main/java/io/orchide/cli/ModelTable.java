package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code get models} on a node: NAME TENANT VERSION ACCELERATORS DIGEST PRESENT LOADED; with {@code --satellite} on
 * ground, the Models in that satellite's desired state: NAME TENANT VERSION ACCELERATORS DIGEST SIGNER GENERATION.
 */
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

    /** Prints the Models in the desired state of the satellite at {@code satelliteBase} (one when {@code name} is given). */
    static void printGround(ApiClient api, String satelliteBase, String satellite, String name, boolean json,
                            java.io.PrintStream out) {
        if (name != null) Resources.name(name);
        com.fasterxml.jackson.databind.node.ArrayNode items = ApiClient.JSON.createArrayNode();
        for (JsonNode d : api.get(satelliteBase + "/desired").path("items")) {
            if (!d.path("kind").asText().equals("Model")) continue;
            if (name != null && !d.path("name").asText().equals(name)) continue;
            items.add(DeviceGrants.fromDesired(d));
        }
        if (name != null && items.isEmpty()) {
            throw new CliException("no model " + name + " in the desired state of " + satellite);
        }
        if (json) {
            Printer.json(out, name == null ? items : items.get(0));
            return;
        }
        Table t = new Table("NAME", "TENANT", "VERSION", "ACCELERATORS", "DIGEST", "SIGNER", "GENERATION");
        for (JsonNode m : items) {
            t.row(m.path("name").asText(), m.path("tenant").asText(), m.path("version").asText(),
                    join(m.path("accelerators")), shortDigest(m.path("digest").asText()),
                    m.path("signer").isTextual() ? m.path("signer").asText() : "-", m.path("generation").asText());
        }
        t.print(out);
    }

    private static String shortDigest(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return "sha256:" + hex.substring(0, Math.min(SHORT, hex.length()));
    }

    private static String join(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return String.join(",", out);
    }
}
