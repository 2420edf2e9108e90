package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;

/**
 * {@code orchide dataset ls [DATASET] | cp SRC DST | mv SRC DST | rm DATASET/FILE}, against a node's local API. A
 * source is {@code DATASET/FILE}; a target is {@code DATASET/} (same name) or {@code DATASET/NAME}. With a
 * {@code SATELLITE:} prefix the same verbs go to ground ({@link SatelliteDatasets}): {@code ls} answers from the
 * satellite's last report, {@code cp}, {@code mv} and {@code rm} are queued for the next contact, and
 * {@code dataset ops SATELLITE} shows how they went.
 */
@Command(name = "dataset", description = "A node's datasets: dataset ls (every dataset), dataset ls DATASET (its "
        + "files), dataset cp DATASET/FILE DATASET/[NAME], dataset mv DATASET/FILE DATASET/[NAME], "
        + "dataset rm DATASET/FILE. A copy or move never overwrites a file and keeps the target's quota. "
        + "Through ground, prefix the satellite: dataset ls sat-1: (from its last report), dataset ls sat-1:scenes, "
        + "dataset cp sat-1:scenes/a.pgm sat-1:archive/ (queued for the next contact), dataset get sat-1:scenes/a.pgm "
        + "(brought down from the next contact, over 1 MiB on its own; then dataset fetch sat-1 ID), "
        + "dataset put FILE sat-1:scenes/[NAME] (goes up in chunks like an image, resumed across contacts), "
        + "dataset ops sat-1.")
final class DatasetCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "ACTION", description = "ls, cp, mv, rm; through ground also get, fetch, put, ops")
    String action;

    @Parameters(index = "1..*", arity = "0..2", paramLabel = "ARG", description = "DATASET, DATASET/FILE or DATASET/[NAME]")
    List<String> args = List.of();

    @Option(names = "--refresh", description = "with SATELLITE:[DATASET]: also ask the "
            + "satellite for a new listing at its next contact (ls answers from the last report at once)")
    boolean refresh;

    @Option(names = "--save", paramLabel = "PATH", description = "with fetch: where to save the file (default: its "
            + "own name in the current directory); an existing file is never overwritten")
    java.nio.file.Path save;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    /**
     * {@code [SATELLITE:]DATASET/FILE}, or {@code [SATELLITE:]DATASET} or {@code DATASET/} with a null file;
     * {@code SATELLITE:} alone names every dataset of the satellite (a null dataset). {@code satellite} is null for a
     * node's own dataset.
     */
    record Ref(String satellite, String dataset, String file) {
        static Ref parse(String text) {
            String satellite = null;
            int colon = text.indexOf(':');
            if (colon >= 0) {
                satellite = Resources.name(text.substring(0, colon));
                text = text.substring(colon + 1);
                if (text.isEmpty()) return new Ref(satellite, null, null);
            }
            int slash = text.indexOf('/');
            String dataset = slash < 0 ? text : text.substring(0, slash);
            String file = slash < 0 || slash == text.length() - 1 ? null : text.substring(slash + 1);
            Resources.name(dataset);
            if (file != null && (file.contains("/") || file.startsWith("."))) {
                throw new CliException(text + ": a file of a dataset is a plain name, without '/' or a leading '.'");
            }
            return new Ref(satellite, dataset, file);
        }
    }

    @Override
    public void run() {
        ApiClient api = server.client();
        if (action.equals("ops") || action.equals("fetch") || action.equals("put") || args.stream().anyMatch(a -> a.indexOf(':') >= 0)) {
            new SatelliteDatasets(api, output.json(), System.out).refresh(refresh).save(save).run(action, args);
            return;
        }
        switch (action) {
            case "ls" -> ls(api);
            case "cp", "mv" -> copy(api, action.equals("mv"));
            case "rm" -> rm(api);
            default -> throw new CliException("dataset: unknown action " + action + " (known: ls, cp, mv, rm)");
        }
    }

    private void ls(ApiClient api) {
        if (args.size() > 1) throw new CliException("dataset ls takes at most one DATASET");
        if (args.isEmpty()) {
            JsonNode items = api.get("/api/v1/datasets").path("items");
            if (output.json()) Printer.json(System.out, items);
            else DatasetTable.of(items).print(System.out);
            return;
        }
        Ref r = Ref.parse(args.getFirst());
        if (r.file() != null) throw new CliException("dataset ls takes a DATASET, not a file (got " + args.getFirst() + ")");
        JsonNode items = api.get("/api/v1/datasets/" + r.dataset() + "/files").path("items");
        if (output.json()) Printer.json(System.out, items);
        else DatasetTable.files(items, Instant.now()).print(System.out);
    }

    private void copy(ApiClient api, boolean move) {
        if (args.size() != 2) throw new CliException("dataset " + action + " takes SRC and DST: DATASET/FILE DATASET/[NAME]");
        Ref src = Ref.parse(args.get(0));
        Ref dst = Ref.parse(args.get(1));
        if (src.file() == null) throw new CliException("dataset " + action + ": the source names a file: DATASET/FILE");
        com.fasterxml.jackson.databind.node.ObjectNode body = ApiClient.JSON.createObjectNode().put("to", dst.dataset());
        if (dst.file() != null) body.put("name", dst.file());
        JsonNode r = api.post(path(src) + "/" + (move ? "move" : "copy"), body);
        if (output.json()) {
            Printer.json(System.out, r);
            return;
        }
        System.out.println(src.dataset() + "/" + src.file() + " " + (move ? "moved" : "copied") + " to "
                + dst.dataset() + "/" + r.path("name").asText() + " (" + r.path("bytes").asLong() + " bytes)");
    }

    private void rm(ApiClient api) {
        if (args.size() != 1) throw new CliException("dataset rm takes one DATASET/FILE");
        Ref r = Ref.parse(args.getFirst());
        if (r.file() == null) throw new CliException("dataset rm removes a file: DATASET/FILE");
        api.delete(path(r));
        System.out.println(r.dataset() + "/" + r.file() + " deleted");
    }

    /** The file's API path, its name percent-encoded as one segment. */
    private static String path(Ref r) {
        try {
            return "/api/v1/datasets/" + r.dataset() + "/files/" + new URI(null, null, r.file(), null).getRawPath();
        } catch (URISyntaxException e) {
            throw new CliException("dataset: cannot send the file name " + r.file() + ": " + e.getMessage());
        }
    }
}
