package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * {@code orchide dataset} on a satellite's datasets, through ground: {@code ls SAT:} and {@code ls SAT:DATASET}
 * answer from what the satellite last reported (with its age); {@code cp}, {@code mv} and {@code rm} are queued for
 * the next contact; {@code get SAT:DATASET/FILE} asks for a file to come down (in the answer up to 1 MiB, on its own
 * after it when larger; then {@code fetch SAT ID} saves it); {@code put FILE SAT:DATASET/[NAME]} pushes the file to
 * ground's image store and queues its uplink (chunks the satellite lacks, resumed across contacts) with the write
 * into the dataset; {@code ops SAT} lists the operations and how they went.
 */
final class SatelliteDatasets {
    private final ApiClient api;
    private final boolean json;
    private final PrintStream out;
    private boolean refresh;

    SatelliteDatasets(ApiClient api, boolean json, PrintStream out) {
        this.api = api;
        this.json = json;
        this.out = out;
    }

    private java.nio.file.Path save;

    /** Where {@code fetch} saves the file; null: its own name in the current directory. */
    SatelliteDatasets save(java.nio.file.Path save) {
        this.save = save;
        return this;
    }

    /** With {@code refresh}, {@code ls} also queues a listing operation for the next contact. */
    SatelliteDatasets refresh(boolean refresh) {
        this.refresh = refresh;
        return this;
    }

    void run(String action, List<String> args) {
        switch (action) {
            case "ls" -> ls(args);
            case "cp", "mv" -> copy(action, args);
            case "rm" -> rm(args);
            case "ops" -> ops(args);
            case "get" -> get(args);
            case "fetch" -> fetch(args);
            case "put" -> put(args);
            default -> throw new CliException("dataset: unknown action " + action
                    + " (known: ls, cp, mv, rm, get, fetch, put, ops)");
        }
    }

    private void ls(List<String> args) {
        if (args.size() != 1) throw new CliException("dataset ls takes one SATELLITE: or SATELLITE:DATASET");
        DatasetCommand.Ref r = ref(args.getFirst());
        if (r.file() != null) throw new CliException("dataset ls takes a DATASET, not a file (got " + args.getFirst() + ")");
        if (refresh) {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("op", "ls");
            if (r.dataset() != null) body.put("dataset", r.dataset());
            JsonNode op = api.post(base(r) + "/dataset-ops", body);
            if (!json) {
                System.err.println("a new listing is asked of " + r.satellite() + " (operation " + op.path("id").asText()
                        + "): it comes at the next contact; below, the last report");
            }
        }
        Instant now = Instant.now();
        if (r.dataset() == null) {
            JsonNode items = api.get(base(r) + "/datasets").path("items");
            if (json) {
                Printer.json(out, items);
                return;
            }
            Table t = new Table("NAME", "TENANT", "NODE", "FILES", "SIZE", "REPORTED");
            for (JsonNode d : items) {
                t.row(d.path("name").asText(), d.path("tenant").asText(), d.path("node").asText(),
                        d.path("files").asText(), ProductTable.size(d.path("bytes")), Table.age(d.path("reported"), now)
                                + " ago");
            }
            t.print(out);
            return;
        }
        JsonNode items = api.get(base(r) + "/datasets/" + r.dataset() + "/files").path("items");
        if (json) {
            Printer.json(out, items);
            return;
        }
        for (JsonNode d : items) {
            out.println(r.satellite() + ":" + r.dataset() + " on " + d.path("node").asText() + ", as reported "
                    + Table.age(d.path("reported"), now) + " ago: " + d.path("files").asText() + " file(s), "
                    + ProductTable.size(d.path("bytes")) + (d.path("truncated").asBoolean() ? " (list truncated)" : ""));
            DatasetTable.files(d.path("items"), now).print(out);
        }
    }

    private void copy(String action, List<String> args) {
        if (args.size() != 2) {
            throw new CliException("dataset " + action + " takes SRC and DST: SAT:DATASET/FILE SAT:DATASET/[NAME]");
        }
        DatasetCommand.Ref src = ref(args.get(0));
        DatasetCommand.Ref dst = ref(args.get(1));
        if (src.file() == null) throw new CliException("dataset " + action + ": the source names a file: SAT:DATASET/FILE");
        if (dst.satellite() == null || !dst.satellite().equals(src.satellite()) || dst.dataset() == null) {
            throw new CliException("dataset " + action + ": the target is a dataset of the same satellite: "
                    + src.satellite() + ":DATASET/[NAME] (got " + args.get(1) + ")");
        }
        ObjectNode body = ApiClient.JSON.createObjectNode().put("op", action).put("dataset", src.dataset())
                .put("file", src.file()).put("to", dst.dataset());
        if (dst.file() != null) body.put("name", dst.file());
        queued(src, api.post(base(src) + "/dataset-ops", body));
    }

    private void rm(List<String> args) {
        if (args.size() != 1) throw new CliException("dataset rm takes one SAT:DATASET/FILE");
        DatasetCommand.Ref r = ref(args.getFirst());
        if (r.file() == null) throw new CliException("dataset rm removes a file: SAT:DATASET/FILE");
        ObjectNode body = ApiClient.JSON.createObjectNode().put("op", "rm").put("dataset", r.dataset())
                .put("file", r.file());
        queued(r, api.post(base(r) + "/dataset-ops", body));
    }

    private void get(List<String> args) {
        if (args.size() != 1) throw new CliException("dataset get takes one SAT:DATASET/FILE");
        DatasetCommand.Ref r = ref(args.getFirst());
        if (r.file() == null) throw new CliException("dataset get brings a file down: SAT:DATASET/FILE");
        ObjectNode body = ApiClient.JSON.createObjectNode().put("op", "get").put("dataset", r.dataset())
                .put("file", r.file());
        JsonNode op = api.post(base(r) + "/dataset-ops", body);
        if (json) {
            Printer.json(out, op);
            return;
        }
        out.println("operation " + op.path("id").asText() + " (get) queued for " + r.satellite()
                + ": the file comes down from its next contact (over 1 MiB, on its own after the answer); then "
                + "orchide dataset fetch " + r.satellite() + " " + op.path("id").asText());
    }

    /** Pushes FILE to ground and queues its put into SAT:DATASET/[NAME]. */
    private void put(List<String> args) {
        if (args.size() != 2) throw new CliException("dataset put takes FILE and SAT:DATASET/[NAME]");
        java.nio.file.Path file = java.nio.file.Path.of(args.get(0));
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new CliException("dataset put: " + file + " is not a file here");
        }
        DatasetCommand.Ref r = ref(args.get(1));
        if (r.dataset() == null) throw new CliException("dataset put: the target is SAT:DATASET/[NAME] (got " + args.get(1) + ")");
        String name = r.file() != null ? r.file() : file.getFileName().toString();
        DatasetCommand.Ref.parse(r.dataset() + "/" + name); // a name the dataset can hold
        JsonNode pushed = api.upload("/api/v1/images", file, "push " + file.getFileName());
        ObjectNode body = ApiClient.JSON.createObjectNode().put("op", "put").put("dataset", r.dataset())
                .put("file", name).put("content", pushed.path("digest").asText());
        JsonNode op = api.post(base(r) + "/dataset-ops", body);
        if (json) {
            Printer.json(out, op);
            return;
        }
        out.println("operation " + op.path("id").asText() + " (put) queued for " + r.satellite() + ": "
                + r.dataset() + "/" + name + " (" + pushed.path("size").asLong() + " bytes, "
                + pushed.path("digest").asText() + ") goes up from the next contact, resumed across contacts; "
                + "see orchide dataset ops " + r.satellite());
    }

    /** Saves what get operation ID brought down under its file's name in the current directory. */
    private void fetch(List<String> args) {
        if (args.size() != 2) throw new CliException("dataset fetch takes SATELLITE and the get operation's ID");
        String sat = Resources.name(args.get(0).endsWith(":") ? args.get(0).substring(0, args.get(0).length() - 1)
                : args.get(0));
        String id = args.get(1);
        if (!id.matches("[0-9]{1,18}")) throw new CliException("dataset fetch: ID is an operation's number (got " + id + ")");
        JsonNode op = api.get("/api/v1/satellites/" + sat + "/dataset-ops/" + id);
        if (!op.path("op").asText().equals("get")) {
            throw new CliException("dataset fetch: operation " + id + " is a " + op.path("op").asText() + ", not a get");
        }
        if (op.path("downlink").path("state").asText().equals("coming")) {
            throw new CliException("dataset fetch: the file of operation " + id + " is still coming down ("
                    + op.path("downlink").path("bytes").asLong() + " bytes); fetch again after the next contact");
        }
        java.nio.file.Path target = save != null ? save : java.nio.file.Path.of(op.path("file").asText());
        if (java.nio.file.Files.exists(target)) {
            throw new CliException("dataset fetch: " + target + " exists here; nothing is overwritten");
        }
        long n = api.download("/api/v1/satellites/" + sat + "/dataset-ops/" + id + "/content", target,
                "operation " + id);
        out.println(target + " (" + n + " bytes) from " + sat + ":" + op.path("dataset").asText() + "/"
                + op.path("file").asText());
    }

    private void queued(DatasetCommand.Ref r, JsonNode op) {
        if (json) {
            Printer.json(out, op);
            return;
        }
        out.println("operation " + op.path("id").asText() + " (" + op.path("op").asText() + ") queued for "
                + r.satellite() + ": done at its next contact; see orchide dataset ops " + r.satellite());
    }

    private void ops(List<String> args) {
        if (args.size() != 1) throw new CliException("dataset ops takes one SATELLITE");
        String sat = args.getFirst();
        if (sat.endsWith(":")) sat = sat.substring(0, sat.length() - 1);
        Resources.name(sat);
        JsonNode items = api.get("/api/v1/satellites/" + sat + "/dataset-ops").path("items");
        if (json) {
            Printer.json(out, items);
            return;
        }
        Table t = new Table("ID", "OP", "FROM", "TO", "STATE", "AGE", "MESSAGE");
        Instant now = Instant.now();
        for (JsonNode o : items) {
            String from = o.path("dataset").asText("-") + (o.has("file") ? "/" + o.path("file").asText() : "");
            String to = o.has("to") ? o.path("to").asText() + "/" + o.path("name").asText("") : "-";
            t.row(o.path("id").asText(), o.path("op").asText(), from, to, o.path("state").asText(),
                    Table.age(o.path("created"), now), message(o));
        }
        t.print(out);
    }

    /** What the node said, or what is on its way: a put's bytes going up, a large get's file coming down. */
    private static String message(JsonNode o) {
        JsonNode down = o.path("downlink");
        if (down.path("state").asText().equals("coming")) {
            return "coming down: " + down.path("bytes").asLong() + " bytes";
        }
        if (down.path("state").asText().equals("arrived")) {
            return "here: " + down.path("bytes").asLong() + " bytes; orchide dataset fetch " + o.path("satellite").asText()
                    + " " + o.path("id").asText();
        }
        if (o.path("op").asText().equals("put") && o.path("state").asText().equals("queued")) {
            return "going up: " + o.path("bytes").asLong() + " bytes";
        }
        return Table.text(o.path("message"));
    }

    private static DatasetCommand.Ref ref(String text) {
        DatasetCommand.Ref r = DatasetCommand.Ref.parse(text);
        if (r.satellite() == null) {
            throw new CliException(text + ": name the satellite as the other argument does (SATELLITE:" + text + ")");
        }
        return r;
    }

    private static String base(DatasetCommand.Ref r) {
        return "/api/v1/satellites/" + r.satellite();
    }
}
