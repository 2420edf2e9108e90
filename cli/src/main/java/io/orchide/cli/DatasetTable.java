package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** {@code get datasets}: NAME TENANT FILES SIZE QUOTA; {@code dataset ls NAME}: NAME SIZE AGE. */
final class DatasetTable {
    private DatasetTable() {
    }

    static Table of(JsonNode items) {
        Table t = new Table("NAME", "TENANT", "FILES", "SIZE", "QUOTA");
        for (JsonNode d : items) {
            t.row(d.path("name").asText(), d.path("tenant").asText(), d.path("files").asText(),
                    ProductTable.size(d.path("bytes")), quota(d.path("quota")));
        }
        return t;
    }

    static Table files(JsonNode items, Instant now) {
        Table t = new Table("NAME", "SIZE", "AGE");
        for (JsonNode f : items) {
            t.row(f.path("name").asText(), ProductTable.size(f.path("bytes")), Table.age(f.path("modified"), now));
        }
        return t;
    }

    /** {@code 1.0GiB, 1000 files}; {@code -} when the dataset has no quota. */
    private static String quota(JsonNode q) {
        String bytes = q.has("bytes") ? ProductTable.size(q.path("bytes")) : null;
        String files = q.has("files") ? q.path("files").asText() + " files" : null;
        if (bytes == null && files == null) return "-";
        return bytes == null ? files : files == null ? bytes : bytes + ", " + files;
    }
}
