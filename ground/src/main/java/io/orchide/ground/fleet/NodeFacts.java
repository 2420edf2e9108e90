package io.orchide.ground.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import io.orchide.model.codec.Trees;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node says of itself when a contact opens ({@code PeerContact.info}): {@code {"node": "n1", "arch":
 * "x86_64", "cores": 2, "memoryMib": 4096, "monitors": ["qemu"], "accelerators": [], "devices": [], "version":
 * "0.1.0"}}. Unknown fields are ignored; {@code accelerators} and {@code devices} are kept as the JSON arrays sent.
 */
public record NodeFacts(String node, String arch, int cores, long memoryMib, List<String> monitors,
                        String accelerators, String devices, String version) {

    /** Info that does not describe a node, with every field at fault. */
    public static final class InvalidFacts extends Exception {
        private final transient List<FieldError> errors;

        public InvalidFacts(List<FieldError> errors) {
            super("node info: " + errors.stream().map(FieldError::toString).reduce((a, b) -> a + "; " + b).orElse("invalid"));
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() { return errors; }
    }

    public static NodeFacts parse(String info) throws InvalidFacts {
        JsonNode root;
        try {
            root = Trees.readJson((info == null ? "" : info).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new InvalidFacts(List.of(new FieldError("", abbrev(info), "not JSON: " + e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidFacts(List.of(new FieldError("", abbrev(info), "must be a JSON object")));
        }
        List<FieldError> errs = new ArrayList<>();
        String node = text(root, "node", errs);
        if (node != null && !SatelliteNames.valid(node)) errs.add(new FieldError("node", node, SatelliteNames.problem(node)));
        String arch = text(root, "arch", errs);
        if (arch != null) {
            try {
                Arch.fromWire(arch);
            } catch (IllegalArgumentException e) {
                errs.add(new FieldError("arch", arch, "must be x86_64 or aarch64"));
            }
        }
        long cores = number(root, "cores", 1, 4096, errs);
        long memory = number(root, "memoryMib", 1, 1L << 40, errs);
        List<String> monitors = new ArrayList<>();
        JsonNode m = root.path("monitors");
        if (m.isMissingNode() || m.isNull()) {
            // none declared
        } else if (!m.isArray()) {
            errs.add(new FieldError("monitors", m.toString(), "must be a list of monitor names"));
        } else {
            for (int i = 0; i < m.size(); i++) {
                if (!m.get(i).isTextual() || m.get(i).asText().isBlank()) {
                    errs.add(new FieldError("monitors[" + i + "]", m.get(i).toString(), "must be a monitor name"));
                } else {
                    monitors.add(m.get(i).asText());
                }
            }
        }
        String accelerators = array(root, "accelerators", errs);
        String devices = array(root, "devices", errs);
        String version = text(root, "version", errs);
        if (!errs.isEmpty()) throw new InvalidFacts(errs);
        return new NodeFacts(node, arch, (int) cores, memory, List.copyOf(monitors), accelerators, devices, version);
    }

    private static String text(JsonNode root, String f, List<FieldError> errs) {
        JsonNode n = root.path(f);
        if (n.isMissingNode() || n.isNull()) {
            errs.add(new FieldError(f, null, "is required"));
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            errs.add(new FieldError(f, n.toString(), "must be a non-empty string"));
            return null;
        }
        return n.asText();
    }

    private static long number(JsonNode root, String f, long min, long max, List<FieldError> errs) {
        JsonNode n = root.path(f);
        if (n.isMissingNode() || n.isNull()) {
            errs.add(new FieldError(f, null, "is required"));
            return 0;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            errs.add(new FieldError(f, n.toString(), "must be an integer from " + min + " to " + max));
            return 0;
        }
        return n.asLong();
    }

    private static String array(JsonNode root, String f, List<FieldError> errs) {
        JsonNode n = root.path(f);
        if (n.isMissingNode() || n.isNull()) return "[]";
        if (!n.isArray()) {
            errs.add(new FieldError(f, abbrev(n.toString()), "must be a list"));
            return "[]";
        }
        return Trees.toJson(n, false);
    }

    private static String abbrev(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
