package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code orchide doctor}: which runtimes, monitors and accelerations work on the node, and why not; then how full
 * its storage is.
 */
@Command(name = "doctor", description = "Report which runtimes and monitors work on the node, and why not, and how "
        + "full its storage is.")
final class DoctorCommand implements Runnable {
    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        boolean json = output.json();
        JsonNode d = server.client().get("/api/v1/doctor");
        if (json) {
            Printer.json(System.out, d);
            return;
        }
        Table t = new Table("RUNTIME", "OK", "DETAIL");
        for (JsonNode p : d.path("probes")) {
            t.row(p.path("name").asText(), p.path("available").asBoolean() ? "yes" : "no", p.path("reason").asText());
        }
        t.print(System.out);
        JsonNode st = server.client().get("/api/v1/storage?refresh=true");
        System.out.println(storageLine(st));
    }

    /** "storage: ok, 1.2GiB free of 8.0GiB (reserve 256.0MiB, low mark 512.0MiB); reclaimed 3 items (1.0MiB)". */
    static String storageLine(JsonNode st) {
        StringBuilder b = new StringBuilder("storage: ").append(st.path("level").asText());
        b.append(", ").append(ProductTable.size(st.path("freeBytes"))).append(" free of ")
                .append(ProductTable.size(st.path("capacityBytes")))
                .append(st.path("limitBytes").asLong() > 0 ? " (--storage-limit" : " (the filesystem")
                .append(", reserve ").append(ProductTable.size(st.path("reserveBytes")))
                .append(", low mark ").append(ProductTable.size(st.path("lowBytes"))).append(')');
        if (st.path("reclaimedItems").asInt() > 0) {
            b.append("; reclaimed ").append(st.path("reclaimedItems").asInt()).append(" item(s) (")
                    .append(ProductTable.size(st.path("reclaimedBytes"))).append(')');
        }
        if (st.hasNonNull("error")) b.append("; ").append(st.path("error").asText());
        return b.toString();
    }
}
