package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.cli.Resources.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/** {@code orchide get TYPE [NAME]}: one line per workload, pipeline, run or product. */
@Command(name = "get", description = "List resources: workloads, pipelines, runs, products.")
final class GetCommand implements Runnable {
    static final List<String> RUN_STATES = List.of("queued", "running", "succeeded", "failed", "cancelled", "expired");

    @Parameters(index = "0", paramLabel = "TYPE", description = "Resource type: workloads (or workload, wl), "
            + "pipelines (or pipeline, pl), runs (or run), products (or product)")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Name of one resource")
    String name;

    @Option(names = "--pipeline", description = "Runs: only those of this pipeline")
    String pipeline;

    @Option(names = "--state", description = "Runs: only those in this state (queued, running, succeeded, failed, "
            + "cancelled, expired)")
    String state;

    @Option(names = "--limit", description = "Runs: at most this many, newest first")
    Integer limit;

    @Option(names = "--run", description = "Products: only those of this run")
    String run;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        Kind kind = Resources.kind("get", type, Kind.WORKLOAD, Kind.PIPELINE, Kind.RUN, Kind.PRODUCT);
        checkFilters(kind);
        boolean json = output.json();
        JsonNode items = fetch(kind, server.client());
        if (json) {
            Printer.json(System.out, name == null ? items : items.get(0));
            return;
        }
        Instant now = Instant.now();
        Table t = switch (kind) {
            case WORKLOAD -> WorkloadTable.of(items, output.wide(), now);
            case PIPELINE -> PipelineTable.of(items, output.wide(), now);
            case RUN -> RunTable.of(items, output.wide(), now);
            case PRODUCT -> ProductTable.of(items, now);
        };
        t.print(System.out);
    }

    /** The filter options belong to one resource type each; refused with the others rather than ignored. */
    private void checkFilters(Kind kind) {
        if (kind != Kind.RUN) {
            if (pipeline != null) throw new CliException("--pipeline applies to runs only");
            if (state != null) throw new CliException("--state applies to runs only");
            if (limit != null) throw new CliException("--limit applies to runs only");
        }
        if (kind != Kind.PRODUCT && run != null) throw new CliException("--run applies to products only");
        if (name != null && (pipeline != null || state != null || limit != null || run != null)) {
            throw new CliException("give a name or filters, not both (got " + name + ")");
        }
        if (kind == Kind.PRODUCT && name != null) {
            throw new CliException("products are listed, not fetched by name (got " + name + "); use --run RUN");
        }
        if (pipeline != null) Resources.name(pipeline);
        if (state != null && !RUN_STATES.contains(state)) {
            throw new CliException("--state: unknown run state " + state + " (known: " + String.join(", ", RUN_STATES) + ")");
        }
        if (limit != null && limit < 1) throw new CliException("--limit must be at least 1 (got " + limit + ")");
        if (run != null) Resources.runName(run);
    }

    private JsonNode fetch(Kind kind, ApiClient api) {
        String base = "/api/v1/" + kind.plural();
        if (name != null) {
            return ApiClient.JSON.createArrayNode().add(api.get(base + "/" + Resources.name(kind, name)));
        }
        String query = switch (kind) {
            case RUN -> ApiClient.query("pipeline", pipeline, "state", state,
                    "limit", limit == null ? null : limit.toString());
            case PRODUCT -> ApiClient.query("run", run);
            default -> "";
        };
        return api.get(base + query).path("items");
    }
}
