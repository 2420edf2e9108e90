package io.orchide.model.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Arch;
import io.orchide.model.FieldError;
import io.orchide.model.Names;
import io.orchide.model.codec.Trees;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a node says of itself when a contact opens (the link's hello, carried as its peer info): {@code {"node":
 * "n1", "arch": "x86_64", "cores": 2, "memoryMib": 4096, "monitors": ["qemu"], "accelerators": [], "devices": [],
 * "version": "0.1.0"}}. {@code monitors} are those that work on the node; {@code accelerators} and {@code devices}
 * travel as the JSON arrays the node sent. A reader ignores fields it does not know, so a newer node can say more to
 * an older ground.
 */
public record NodeHello(String node, Arch arch, int cores, long memoryMib, List<String> monitors,
                        String accelerators, String devices, String version) {
    /** The name under which decoding errors are reported. */
    public static final String KIND = "hello";
    public static final int MAX_CORES = 4096;
    public static final long MAX_MEMORY_MIB = 1L << 40;

    public NodeHello {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(arch, "arch");
        monitors = monitors == null ? List.of() : List.copyOf(monitors);
        accelerators = accelerators == null ? "[]" : accelerators;
        devices = devices == null ? "[]" : devices;
    }

    public String encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("node", node);
        o.put("arch", arch.wire());
        o.put("cores", cores);
        o.put("memoryMib", memoryMib);
        ArrayNode m = o.putArray("monitors");
        monitors.forEach(m::add);
        o.set("accelerators", array(accelerators));
        o.set("devices", array(devices));
        Messages.putText(o, "version", version);
        return Trees.toJson(o, false);
    }

    /** Reads a hello, reporting every field at fault at once. */
    public static NodeHello decode(String info) throws MessageException {
        JsonNode root;
        try {
            root = Trees.readJson((info == null ? "" : info).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw fault("", abbrev(info), "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw fault("", abbrev(info), "must be a JSON object");
        List<FieldError> errs = new ArrayList<>();
        String node = text(root, "node", errs);
        if (node != null) {
            String problem = Names.dnsLabelProblem(node);
            if (problem != null) errs.add(new FieldError("node", node, problem));
        }
        String archText = text(root, "arch", errs);
        Arch arch = null;
        if (archText != null) {
            try {
                arch = Arch.fromWire(archText);
            } catch (IllegalArgumentException e) {
                errs.add(new FieldError("arch", archText, "must be x86_64 or aarch64"));
            }
        }
        long cores = number(root, "cores", 1, MAX_CORES, errs);
        long memory = number(root, "memoryMib", 1, MAX_MEMORY_MIB, errs);
        List<String> monitors = new ArrayList<>();
        JsonNode m = root.path("monitors");
        if (!m.isMissingNode() && !m.isNull()) {
            if (!m.isArray()) {
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
        }
        String accelerators = list(root, "accelerators", errs);
        String devices = list(root, "devices", errs);
        String version = text(root, "version", errs);
        if (!errs.isEmpty()) throw new MessageException(KIND, errs);
        return new NodeHello(node, arch, (int) cores, memory, monitors, accelerators, devices, version);
    }

    private static JsonNode array(String json) {
        try {
            JsonNode n = Trees.readJson(json.getBytes(StandardCharsets.UTF_8));
            if (n != null && n.isArray()) return n;
        } catch (Exception e) {
            // not a JSON list: an empty one is sent rather than a hello ground would refuse whole
        }
        return Messages.JSON.arrayNode();
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
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            errs.add(new FieldError(f, n.toString(), "must be an integer from " + min + " to " + max));
            return 0;
        }
        return n.asLong();
    }

    private static String list(JsonNode root, String f, List<FieldError> errs) {
        JsonNode n = root.path(f);
        if (n.isMissingNode() || n.isNull()) return "[]";
        if (!n.isArray()) {
            errs.add(new FieldError(f, abbrev(n.toString()), "must be a list"));
            return "[]";
        }
        return Trees.toJson(n, false);
    }

    private static MessageException fault(String field, String value, String message) {
        return new MessageException(KIND, List.of(new FieldError(field, value, message)));
    }

    private static String abbrev(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
