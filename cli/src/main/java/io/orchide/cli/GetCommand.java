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
@Command(name = "get", description = "List resources: workloads, pipelines, runs, products, datasets, devices, "
        + "devicegrants; on ground also "
        + "satellites, a satellite's events, passes, secrets and node keys, ground stations, tenants, tokens, rolebindings "
        + "and the audit log.")
final class GetCommand implements Runnable {
    static final List<String> RUN_STATES = List.of("queued", "running", "succeeded", "failed", "cancelled", "expired");

    @Parameters(index = "0", paramLabel = "TYPE", description = "Resource type: workloads (or workload, wl), "
            + "pipelines (or pipeline, pl), runs (or run), products (or product), datasets (or dataset, ds; on a node), "
            + "devices (or device, dev; on a node: NAME CLASS STATE LEASED-BY ROLE, then the node's POSITION: its "
            + "source and fix, or why it has none; with -o json an object of items and position), "
            + "devicegrants (or devicegrant, dg; on a node, or a satellite's on ground), satellites (or sat, on ground), "
            + "models (or model; on a node: the AI models it allows, NAME TENANT VERSION ACCELERATORS DIGEST PRESENT LOADED; "
            + "with --satellite on ground: the Models in its desired state), "
            + "events (or ev, of a satellite on ground: what its nodes reported, such as storage running low), "
            + "passes (of a satellite over ground's stations; --next), stations (ground's), "
            + "secrets (of a satellite on ground: names and key names, never values), nodekeys (a satellite's node keys), "
            + "tenants, tokens, rolebindings (or rb; on ground), "
            + "audit (ground's audit log, newest first; --since, --tenant, --actor, --outcome)")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Name of one resource")
    String name;

    @Option(names = "--pipeline", description = "Runs: only those of this pipeline")
    String pipeline;

    @Option(names = "--state", description = "Runs: only those in this state (queued, running, succeeded, failed, "
            + "cancelled, expired)")
    String state;

    @Option(names = "--limit", description = "Runs, events, audit: at most this many, newest first")
    Integer limit;

    @Option(names = "--run", description = "Products: only those of this run")
    String run;

    @Option(names = "--next", paramLabel = "DURATION", description = "Passes: those from now for this long (default 24h, at most 14d)")
    String next;

    @Mixin
    ServerOption server;

    @Mixin
    SatelliteOption satellite;

    @Mixin
    OutputOption output;

    @Mixin
    AuditOptions audit;

    @Override
    public void run() {
        Kind kind = Resources.kind("get", type, Kind.WORKLOAD, Kind.PIPELINE, Kind.RUN, Kind.PRODUCT, Kind.DATASET,
                Kind.SATELLITE, Kind.EVENT, Kind.AUDIT, Kind.TENANT, Kind.TOKEN, Kind.ROLEBINDING, Kind.PASS, Kind.STATION,
                Kind.SECRET, Kind.NODEKEY, Kind.DEVICE, Kind.DEVICEGRANT, Kind.MODEL);
        if (kind == Kind.AUDIT) {
            listAudit();
            return;
        }
        if (kind != Kind.PASS && next != null) throw new CliException("--next applies to passes only");
        if (kind == Kind.PASS || kind == Kind.STATION) {
            passesOrStations(kind);
            return;
        }
        if (kind == Kind.SECRET || kind == Kind.NODEKEY) {
            secretsOrKeys(kind);
            return;
        }
        if (kind == Kind.MODEL) {
            satellite.defaultFrom(server);
            if (satellite.present()) {
                if (pipeline != null || state != null || limit != null || run != null) {
                    throw new CliException("models take no filter options");
                }
                ModelTable.printGround(server.client(), satellite.base(), satellite.satellite, name, output.json(), System.out);
                return;
            }
        }
        if (kind == Kind.DEVICEGRANT) {
            if (pipeline != null || state != null || limit != null || run != null) {
                throw new CliException("devicegrants take no filter options");
            }
            satellite.defaultFrom(server);
            DeviceGrants.print(server.client(), satellite.present() ? satellite.base() : null, satellite.satellite,
                    name, output.json(), System.out);
            return;
        }
        audit.refuseWith(kind);
        if (kind == Kind.TENANT || kind == Kind.TOKEN || kind == Kind.ROLEBINDING) {
            access(kind);
            return;
        }
        if (kind != Kind.SATELLITE) satellite.defaultFrom(server);
        if (kind == Kind.EVENT && !satellite.present()) {
            throw new CliException("events are those a satellite's nodes reported to ground: get events --satellite NAME");
        }
        checkFilters(kind);
        boolean json = output.json();
        boolean ground = satellite.present() || kind == Kind.SATELLITE;
        if (kind == Kind.DEVICE && name == null) {
            devices(ground);
            return;
        }
        JsonNode items = ground ? fetchFromGround(kind, server.client()) : fetch(kind, server.client());
        if (json) {
            Printer.json(System.out, name == null ? items : items.get(0));
            return;
        }
        Instant now = Instant.now();
        if (ground || kind == Kind.PRODUCT && items.size() > 0 && items.get(0).has("satellite")) {
            groundTable(kind, items, now).print(System.out);
            return;
        }
        Table t = switch (kind) {
            case WORKLOAD -> WorkloadTable.of(items, output.wide(), now);
            case PIPELINE -> PipelineTable.of(items, output.wide(), now);
            case RUN -> RunTable.of(items, output.wide(), now);
            case PRODUCT -> ProductTable.of(items, now);
            case DATASET -> DatasetTable.of(items);
            case DEVICE -> DeviceTables.devices(items);
            case MODEL -> ModelTable.of(items);
            case SATELLITE, EVENT, AUDIT, TENANT, TOKEN, ROLEBINDING, PASS, STATION, SECRET, NODEKEY, DEVICEGRANT -> throw new IllegalStateException("listed by ground");
        };
        t.print(System.out);
    }

    private static Table groundTable(Kind kind, JsonNode items, Instant now) {
        return switch (kind) {
            case SATELLITE -> GroundTables.satellites(items, now);
            case WORKLOAD -> GroundTables.workloads(items, now);
            case RUN -> GroundTables.runs(items, now);
            case PRODUCT -> GroundTables.products(items, now);
            case EVENT -> GroundTables.events(items);
            case DEVICE -> DeviceTables.reported(items, now);
            case PIPELINE, AUDIT, TENANT, TOKEN, ROLEBINDING, DATASET, PASS, STATION, SECRET, NODEKEY, DEVICEGRANT, MODEL -> throw new IllegalStateException("refused in fetchFromGround, or listed by listAudit, access or passesOrStations");
        };
    }

    /**
     * The devices of the node, or of a satellite as ground last heard of them, then where the node is (each node, on
     * ground): with -o json, the whole answer ({@code items} and the {@code position}, or ground's {@code positions}).
     */
    private void devices(boolean ground) {
        JsonNode r = server.client().get(ground ? satellite.base() + "/devices" : "/api/v1/devices");
        if (output.json()) {
            Printer.json(System.out, r);
            return;
        }
        (ground ? DeviceTables.reported(r.path("items"), Instant.now()) : DeviceTables.devices(r.path("items")))
                .print(System.out);
        PositionText.lines(ground ? r.path("positions") : r.path("position"), System.out);
    }

    /** Ground's audit log: the audit filters and --limit only. */
    private void listAudit() {
        if (name != null) throw new CliException("audit entries are listed, not fetched by name (got " + name + ")");
        if (satellite.present()) throw new CliException("the audit log is ground's, not a satellite's: drop --satellite");
        if (pipeline != null || state != null || run != null) {
            throw new CliException("get audit takes --since, --tenant, --actor, --outcome and --limit");
        }
        JsonNode items = audit.fetch(server.client(), limit);
        if (output.json()) Printer.json(System.out, items);
        else AuditOptions.table(items).print(System.out);
    }

    /** What ground knows: the fleet, or one satellite's last-known workloads and runs, or the products down. */
    private JsonNode fetchFromGround(Kind kind, ApiClient api) {
        if (kind == Kind.SATELLITE) {
            if (satellite.present()) throw new CliException("get satellites takes a NAME, not --satellite");
            return name == null ? api.get("/api/v1/satellites").path("items")
                    : ApiClient.JSON.createArrayNode().add(api.get("/api/v1/satellites/" + Resources.name(name)));
        }
        if (name != null) throw new CliException("with --satellite, " + kind.plural() + " are listed, not fetched by name");
        return switch (kind) {
            case WORKLOAD -> api.get(satellite.base() + "/workloads").path("items");
            case RUN -> api.get(satellite.base() + "/runs" + ApiClient.query("limit",
                    limit == null ? null : limit.toString())).path("items");
            case PRODUCT -> api.get("/api/v1/products" + ApiClient.query("satellite", satellite.satellite,
                    "run", run)).path("items");
            case DEVICE -> api.get(satellite.base() + "/devices").path("items");
            case EVENT -> api.get(satellite.base() + "/events" + ApiClient.query("limit",
                    limit == null ? null : limit.toString())).path("items");
            default -> throw new CliException("get " + kind.plural() + " --satellite: ground lists a satellite's "
                    + "workloads, runs, products and devices (its desired state: GET /api/v1/satellites/NAME/desired)");
        };
    }

    /** A satellite's passes over ground's stations (--satellite, --next), or ground's stations. */
    private void passesOrStations(Kind kind) {
        if (pipeline != null || state != null || limit != null || run != null) {
            throw new CliException(kind.plural() + " take no filter options" + (kind == Kind.PASS ? " but --next" : ""));
        }
        ApiClient api = server.client();
        JsonNode items;
        if (kind == Kind.PASS) {
            if (name != null) throw new CliException("passes are listed, not fetched by name (got " + name + "): get passes --satellite NAME");
            satellite.defaultFrom(server);
            if (!satellite.present()) throw new CliException("passes are a satellite's: get passes --satellite NAME [--next 24h]");
            items = api.get(satellite.base() + "/passes" + ApiClient.query("next", next)).path("items");
        } else {
            if (satellite.present()) throw new CliException("stations are ground's, not a satellite's: no --satellite");
            items = name != null ? ApiClient.JSON.createArrayNode().add(api.get("/api/v1/stations/" + Resources.name(name)))
                    : api.get("/api/v1/stations").path("items");
        }
        if (output.json()) {
            Printer.json(System.out, name == null ? items : items.get(0));
            return;
        }
        (kind == Kind.PASS ? GroundTables.passes(items, Instant.now()) : GroundTables.stations(items)).print(System.out);
    }

    /**
     * A satellite's Secrets on ground (names, tenants, key names, version, the node keys each is sealed to; never a
     * value) or its node keys (fingerprint, state, who added and revoked them).
     */
    private void secretsOrKeys(Kind kind) {
        if (pipeline != null || state != null || limit != null || run != null) {
            throw new CliException(kind.plural() + " take no filter options");
        }
        satellite.defaultFrom(server);
        if (!satellite.present()) {
            throw new CliException(kind.plural() + " are a satellite's, kept by ground: get " + kind.plural() + " --satellite NAME");
        }
        ApiClient api = server.client();
        com.fasterxml.jackson.databind.node.ArrayNode items = ApiClient.JSON.createArrayNode();
        if (kind == Kind.NODEKEY) {
            if (name != null) throw new CliException("node keys are listed, not fetched by name (got " + name + ")");
            api.get(satellite.base() + "/keys").path("nodeKeys").forEach(items::add);
        } else {
            for (JsonNode d : api.get(satellite.base() + "/desired").path("items")) {
                if (!d.path("kind").asText().equals("Secret") || name != null && !d.path("name").asText().equals(name)) continue;
                com.fasterxml.jackson.databind.node.ObjectNode o = ApiClient.JSON.createObjectNode();
                o.put("name", d.path("name").asText()).put("tenant", d.path("tenant").asText())
                        .put("generation", d.path("generation").asInt()).put("queued", d.path("queued").asBoolean());
                o.set("keys", d.path("manifest").path("keys"));
                o.set("sealedTo", d.path("manifest").path("sealedTo"));
                if (d.has("updated")) o.set("updated", d.path("updated"));
                items.add(o);
            }
            if (name != null && items.isEmpty()) {
                throw new CliException("no Secret " + name + " in the desired state of " + satellite.satellite);
            }
        }
        if (output.json()) {
            Printer.json(System.out, name == null ? items : items.get(0));
            return;
        }
        (kind == Kind.NODEKEY ? GroundTables.nodeKeys(items) : GroundTables.secrets(items)).print(System.out);
    }

    /** Ground's tenants, tokens (never their secrets) or role bindings, those the caller may list. */
    private void access(Kind kind) {
        if (satellite.satellite != null) throw new CliException(kind.plural() + " are ground's, not a satellite's: no --satellite");
        if (pipeline != null || state != null || limit != null || run != null) {
            throw new CliException(kind.plural() + " take no filter options");
        }
        if (name != null && kind != Kind.TENANT) throw new CliException(kind.plural() + " are listed, not fetched by name (got " + name + ")");
        ApiClient api = server.client();
        JsonNode items = name != null ? ApiClient.JSON.createArrayNode().add(api.get("/api/v1/tenants/" + Resources.name(name)))
                : api.get("/api/v1/" + kind.plural()).path("items");
        if (output.json()) {
            Printer.json(System.out, name == null ? items : items.get(0));
            return;
        }
        Instant now = Instant.now();
        (switch (kind) {
            case TENANT -> AccessTables.tenants(items);
            case TOKEN -> AccessTables.tokens(items, now);
            default -> AccessTables.bindings(items, now);
        }).print(System.out);
    }

    /** The filter options belong to one resource type each; refused with the others rather than ignored. */
    private void checkFilters(Kind kind) {
        if (kind != Kind.RUN) {
            if (pipeline != null) throw new CliException("--pipeline applies to runs only");
            if (state != null) throw new CliException("--state applies to runs only");
            if (limit != null && kind != Kind.EVENT) throw new CliException("--limit applies to runs and events only");
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
