package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** {@code get products}: ID RUN STEP OUTPUT FILE SIZE PRIORITY AGE. */
final class ProductTable {
    private static final int FILES_SHOWN = 2;

    private ProductTable() {
    }

    static Table of(JsonNode items, Instant now) {
        Table t = new Table("ID", "RUN", "STEP", "OUTPUT", "FILE", "SIZE", "PRIORITY", "AGE");
        for (JsonNode p : items) {
            t.row(p.path("id").asText(), p.path("run").asText(), RunTable.stepInstance(p), p.path("output").asText(),
                    files(p), size(p.path("sizeBytes")), Table.text(p.path("priority")),
                    Table.age(p.path("createdAt"), now));
        }
        return t;
    }

    /** The product's file, or the first files of a directory product and how many more there are. */
    static String files(JsonNode product) {
        JsonNode files = product.path("files");
        if (!files.isArray() || files.isEmpty()) {
            String path = product.path("path").asText("");
            return path.isEmpty() ? "-" : java.nio.file.Path.of(path).getFileName().toString();
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(FILES_SHOWN, files.size()); i++) names.add(files.get(i).path("name").asText());
        return String.join(", ", names) + (files.size() > FILES_SHOWN ? " (+" + (files.size() - FILES_SHOWN) + ")" : "");
    }

    /** 512B, 4.0KiB, 12.3MiB, 1.5GiB; "-" when unknown. */
    static String size(JsonNode bytes) {
        if (!bytes.isNumber()) return "-";
        long b = bytes.asLong();
        if (b < 1024) return b + "B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f%s", v, units[u]);
    }
}
