package io.orchide.model.tenant;

import io.orchide.model.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's quota as declared: {@code cpu} (millicores), {@code memory} and {@code storage} (bytes), {@code uplink}
 * (bytes per day); null where not declared. Written {@code cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d}, as ground's
 * {@code create tenant --quota} and a twin scenario's tenants give it.
 */
public record Quota(Long cpuMillis, Long memoryBytes, Long storageBytes, Long uplinkBytesPerDay) {
    public static final Quota NONE = new Quota(null, null, null, null);

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
        if (text == null || text.isBlank()) return NONE;
        Map<String, String> kv = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (String part : text.split(",")) {
            int i = part.indexOf('=');
            if (i <= 0) {
                errors.add(new FieldError(field, part, "expected KEY=VALUE with KEY one of cpu, memory, storage, uplink"));
                continue;
            }
            kv.put(part.substring(0, i).strip(), part.substring(i + 1).strip());
        }
        Long cpu = null, mem = null, sto = null, up = null;
        for (var e : kv.entrySet()) {
            String path = field + "." + e.getKey(), v = e.getValue();
            try {
                switch (e.getKey()) {
                    case "cpu" -> cpu = cpu(v);
                    case "memory" -> mem = bytes(v);
                    case "storage" -> sto = bytes(v);
                    case "uplink" -> {
                        if (!v.endsWith("/d")) throw new IllegalArgumentException("expected bytes per day, such as 50Mi/d");
                        up = bytes(v.substring(0, v.length() - 2));
                    }
                    default -> errors.add(new FieldError(path, v, "unknown quota; expected cpu, memory, storage or uplink"));
                }
            } catch (IllegalArgumentException x) {
                errors.add(new FieldError(path, v, x.getMessage()));
            }
        }
        if (!errors.isEmpty()) throw new Invalid(errors);
        return new Quota(cpu, mem, sto, up);
    }

    private static long cpu(String v) {
        try {
            if (v.endsWith("m")) return positive(Long.parseLong(v.substring(0, v.length() - 1)));
            return positive(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected vCPUs, such as 4, 0.5 or 500m");
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
        return String.join(",", p);
    }

    private static String size(long b) {
        for (int i = UNITS.length - 1; i >= 0; i--) {
            long u = 1L << (10 * (i + 1));
            if (b % u == 0) return (b / u) + UNITS[i];
        }
        return Long.toString(b);
    }
}
