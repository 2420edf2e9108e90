package io.orchide.model.tenant;

import io.orchide.model.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's quota as declared; null where not declared (no limit). On board, from desired state: {@code cpu}
 * (millicores), {@code memory} and {@code storage} (bytes) of the tenant's workloads and runs. On ground: {@code apps}
 * and {@code pipelines} (how many App and Pipeline objects, counted per satellite), {@code images} (bytes of the
 * images the tenant pushed, each digest once), {@code uplink} (bytes sent to satellites per UTC day) and
 * {@code products} (bytes of products kept on ground). Written
 * {@code cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d,apps=20,pipelines=10,images=2Gi,products=10Gi}, as ground's
 * {@code create tenant --quota} and a twin scenario's tenants give it.
 */
public record Quota(Long cpuMillis, Long memoryBytes, Long storageBytes, Long uplinkBytesPerDay,
                    Long apps, Long pipelines, Long imageBytes, Long productBytes) {
    public static final Quota NONE = new Quota(null, null, null, null, null, null, null, null);

    /** The keys, in the order {@link #format} writes them. */
    public static final List<String> KEYS = List.of("cpu", "memory", "storage", "uplink", "apps", "pipelines", "images", "products");

    /** What {@link #update} reads as "remove this limit". */
    public static final String UNLIMITED = "none";

    /** The on-board quota alone, no limit on ground. */
    public Quota(Long cpuMillis, Long memoryBytes, Long storageBytes, Long uplinkBytesPerDay) {
        this(cpuMillis, memoryBytes, storageBytes, uplinkBytesPerDay, null, null, null, null);
    }

    /** Thrown with every field at fault. */
    public static final class Invalid extends IllegalArgumentException {
        private final transient List<FieldError> errors;

        Invalid(List<FieldError> errors) {
            super(errors.stream().map(e -> e.path() + ": " + e.message() + " (got " + e.value() + ")").toList().toString());
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() { return errors; }
    }

    /** Reads {@code k=v,k=v}; {@code field} names it in errors (e.g. {@code quota}). Empty or null: no quota. */
    public static Quota parse(String field, String text) {
        return NONE.apply(field, text, false);
    }

    /**
     * This quota with the limits {@code text} names changed, the others kept; {@code key=none} removes a limit.
     * Written as {@link #parse} reads it, e.g. {@code apps=30,cpu=none}.
     */
    public Quota update(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new Invalid(List.of(new FieldError(field, text, "names no limit to change; expected KEY=VALUE,... with KEY one of "
                    + String.join(", ", KEYS) + " (VALUE " + UNLIMITED + " removes a limit)")));
        }
        return apply(field, text, true);
    }

    private Quota apply(String field, String text, boolean removable) {
        if (text == null || text.isBlank()) return this;
        Map<String, String> kv = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (String part : text.split(",")) {
            int i = part.indexOf('=');
            if (i <= 0) {
                errors.add(new FieldError(field, part, "expected KEY=VALUE with KEY one of " + String.join(", ", KEYS)));
                continue;
            }
            kv.put(part.substring(0, i).strip(), part.substring(i + 1).strip());
        }
        Long[] v = {cpuMillis, memoryBytes, storageBytes, uplinkBytesPerDay, apps, pipelines, imageBytes, productBytes};
        for (var e : kv.entrySet()) {
            String path = field + "." + e.getKey(), value = e.getValue();
            int k = KEYS.indexOf(e.getKey());
            if (k < 0) {
                errors.add(new FieldError(path, value, "unknown quota; expected one of " + String.join(", ", KEYS)));
                continue;
            }
            if (removable && value.equals(UNLIMITED)) {
                v[k] = null;
                continue;
            }
            try {
                v[k] = switch (e.getKey()) {
                    case "cpu" -> cpu(value);
                    case "uplink" -> {
                        if (!value.endsWith("/d")) throw new IllegalArgumentException("expected bytes per day, such as 50Mi/d");
                        yield bytes(value.substring(0, value.length() - 2));
                    }
                    case "apps", "pipelines" -> count(value);
                    default -> bytes(value);
                };
            } catch (IllegalArgumentException x) {
                errors.add(new FieldError(path, value, x.getMessage()));
            }
        }
        if (!errors.isEmpty()) throw new Invalid(errors);
        return new Quota(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    private static long cpu(String v) {
        try {
            if (v.endsWith("m")) return positive(Long.parseLong(v.substring(0, v.length() - 1)));
            return positive(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected vCPUs, such as 4, 0.5 or 500m");
        }
    }

    /** A count may be 0: a tenant allowed no Apps may still run pipelines. */
    private static long count(String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new IllegalArgumentException("must be 0 or more");
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, such as 20");
        }
    }

    private static final String[] UNITS = {"Ki", "Mi", "Gi", "Ti"};

    private static long bytes(String v) {
        long mult = 1;
        String n = v;
        for (int i = 0; i < UNITS.length; i++) {
            if (v.endsWith(UNITS[i])) {
                mult = 1L << (10 * (i + 1));
                n = v.substring(0, v.length() - 2);
            }
        }
        try {
            return Math.multiplyExact(positive(Long.parseLong(n)), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected a size such as 2Gi, 512Mi or 1048576");
        }
    }

    private static long positive(long n) {
        if (n <= 0) throw new IllegalArgumentException("must be positive");
        return n;
    }

    /** As {@link #parse} reads it. */
    public String format() {
        List<String> p = new ArrayList<>();
        if (cpuMillis != null) p.add("cpu=" + (cpuMillis % 1000 == 0 ? Long.toString(cpuMillis / 1000) : cpuMillis + "m"));
        if (memoryBytes != null) p.add("memory=" + size(memoryBytes));
        if (storageBytes != null) p.add("storage=" + size(storageBytes));
        if (uplinkBytesPerDay != null) p.add("uplink=" + size(uplinkBytesPerDay) + "/d");
        if (apps != null) p.add("apps=" + apps);
        if (pipelines != null) p.add("pipelines=" + pipelines);
        if (imageBytes != null) p.add("images=" + size(imageBytes));
        if (productBytes != null) p.add("products=" + size(productBytes));
        return String.join(",", p);
    }

    /** {@code b} bytes as {@link #parse} reads them: the largest binary unit that divides it exactly. */
    public static String size(long b) {
        for (int i = UNITS.length - 1; i >= 0; i--) {
            long u = 1L << (10 * (i + 1));
            if (b != 0 && b % u == 0) return (b / u) + UNITS[i];
        }
        return Long.toString(b);
    }
}
