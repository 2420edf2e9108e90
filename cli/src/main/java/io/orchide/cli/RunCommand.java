package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.cli.Resources.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code orchide run pipeline NAME [--input KEY=PATH]...}: queues a run by hand. Input paths are made absolute
 * here and must exist, so a typo is caught before the node queues anything.
 */
@Command(name = "run", description = "Start a run of a pipeline by hand: run pipeline NAME [--input KEY=PATH]...")
final class RunCommand implements Runnable {
    @Mixin
    ResourceRef ref;

    @Option(names = "--input", paramLabel = "KEY=PATH",
            description = "A trigger input of the run: its name and a file or directory (relative to here)")
    List<String> inputs = new ArrayList<>();

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        String name = ref.name(ref.kind(Kind.PIPELINE));
        boolean json = output.json();
        ObjectNode body = ApiClient.JSON.createObjectNode();
        ObjectNode in = body.putObject("inputs");
        for (String kv : inputs) {
            int eq = kv.indexOf('=');
            if (eq <= 0 || eq == kv.length() - 1) throw new CliException("--input: expected KEY=PATH (got " + kv + ")");
            String key = kv.substring(0, eq);
            if (in.has(key)) throw new CliException("--input: " + key + " given twice");
            in.put(key, existing(key, kv.substring(eq + 1)));
        }
        JsonNode r = server.client().post("/api/v1/pipelines/" + name + "/runs", body);
        if (json) Printer.json(System.out, r);
        else System.out.println("run/" + r.path("name").asText() + " " + r.path("state").asText("queued"));
    }

    private static String existing(String key, String path) {
        Path p;
        try {
            p = Path.of(path).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new CliException("--input " + key + ": invalid path " + path + " (" + e.getReason() + ")");
        }
        if (!Files.exists(p)) {
            throw new CliException("--input " + key + ": no such file or directory " + path
                    + (path.equals(p.toString()) ? "" : " (" + p + ")"));
        }
        return p.toString();
    }
}
