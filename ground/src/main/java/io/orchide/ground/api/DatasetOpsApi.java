package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.dataset.DatasetOps;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.desired.Outbox;
import io.orchide.ground.image.Images;
import io.orchide.model.Dataset;
import io.orchide.model.FieldError;
import io.orchide.model.Names;
import io.orchide.model.message.DatasetCommand;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.orchide.ground.api.GroundApi.invalid;
import static io.orchide.ground.api.GroundApi.jsonOr;
import static io.orchide.ground.api.GroundApi.putInstant;
import static io.orchide.ground.api.GroundApi.sat;

/**
 * A satellite's datasets through ground: {@code GET .../datasets} and {@code GET .../datasets/{name}/files} answer at
 * once from what the satellite's nodes last reported, with the report's time and age; {@code POST .../dataset-ops}
 * ({@code {"op": "ls|cp|mv|rm|get", "dataset", "file", "to", "name"}}) queues an operation, done by the node at the next
 * contact and answered then ({@code GET .../dataset-ops[/{id}]}); a {@code get} brings the file's bytes down in
 * its answer ({@code GET .../dataset-ops/{id}/content}). A tenant reaches its own datasets and those whose
 * {@code access} names it (read to list and copy out, write to change); any other dataset is answered as a missing
 * one (404), and undeclared ones (the operator's) are for fleet-wide roles only. A file over the answer's 1 MiB
 * comes down on its own after the answer ({@code downlink}: its size, {@code coming} until it is here). A {@code put}
 * ({@code {"op": "put", "dataset", "file", "content": "sha256:..."}}) names an image pushed to ground
 * ({@code POST /api/v1/images}) by the tenant: its chunks the satellite lacks are queued as an image's are, and the
 * node writes the file into the dataset once they are all there.
 */
public final class DatasetOpsApi {
    private static final String SEG = "([^/]+)";
    private static final String SAT = "/api/v1/satellites/" + SEG;
    /** The kind of principal a tenant's own request is: matched by tenant only. */
    private static final String TENANT = "tenant";

    private final DatasetOps ops;
    private final DesiredState desired;
    private final Outbox outbox;
    private final Access access;
    private final Clock clock;
    private final Images images;
    private final AuthStore imageOwners;

    /** Without puts (no image store): what the tests of listing and operations need. */
    public DatasetOpsApi(DatasetOps ops, DesiredState desired, Outbox outbox, Access access, Clock clock) {
        this(ops, desired, outbox, access, clock, null, null);
    }

    /**
     * @param images ground's image store, whose chunks carry a put's file up
     * @param imageOwners which tenant pushed which image: a tenant puts only its own
     */
    public DatasetOpsApi(DatasetOps ops, DesiredState desired, Outbox outbox, Access access, Clock clock,
                         Images images, AuthStore imageOwners) {
        this.images = images;
        this.imageOwners = imageOwners;
        this.ops = ops;
        this.desired = desired;
        this.outbox = outbox;
        this.access = access;
        this.clock = clock;
    }

    public void register(ApiServer s) {
        s.route("GET", SAT + "/datasets", (ex, m) -> list(ex, sat(m.group(1))))
                .route("GET", SAT + "/datasets/" + SEG + "/files", (ex, m) -> files(ex, sat(m.group(1)), m.group(2)))
                .route("POST", SAT + "/dataset-ops", (ex, m) -> queue(ex, sat(m.group(1))))
                .route("GET", SAT + "/dataset-ops", (ex, m) -> listOps(ex, sat(m.group(1))))
                .route("GET", SAT + "/dataset-ops/" + SEG, (ex, m) -> op(ex, sat(m.group(1)), m.group(2)))
                .route("GET", SAT + "/dataset-ops/" + SEG + "/content", (ex, m) -> content(ex, sat(m.group(1)),
                        m.group(2)));
    }

    private void list(HttpExchange ex, String sat) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.DATASETS);
        Owners owners = Owners.of(desired, sat);
        ArrayNode items = Exchange.JSON.arrayNode();
        for (DatasetOps.Listing l : ops.listing(sat)) {
            if (visible(scope, owners, l)) items.add(view(l, false));
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", items);
        Exchange.send(ex, 200, o);
    }

    private void files(HttpExchange ex, String sat, String name) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.DATASETS);
        Owners owners = Owners.of(desired, sat);
        ArrayNode items = Exchange.JSON.arrayNode();
        for (DatasetOps.Listing l : ops.listing(sat)) {
            if (l.dataset().equals(name) && visible(scope, owners, l)) items.add(view(l, true));
        }
        if (items.isEmpty()) throw missing(sat, "dataset", name);
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat).put("dataset", name);
        o.set("items", items);
        Exchange.send(ex, 200, o);
    }

    private void queue(HttpExchange ex, String sat) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        String op = text(body, "op", true);
        if (!DatasetCommand.OPS.contains(op)) {
            throw invalid("op", op, "must be one of " + String.join(", ", DatasetCommand.OPS));
        }
        boolean put = op.equals(DatasetCommand.PUT);
        boolean onFile = !op.equals(DatasetCommand.LS);
        boolean copy = op.equals(DatasetCommand.CP) || op.equals(DatasetCommand.MV);
        String dataset = label(body, "dataset", onFile);
        String file = text(body, "file", onFile);
        if (file != null && (file.contains("/") || file.startsWith("."))) {
            throw invalid("file", file, "must be a file name of the dataset, without '/' and not hidden");
        }
        String to = label(body, "to", copy);
        String name = copy ? text(body, "name", false) : null;
        if (name != null && (name.contains("/") || name.startsWith("."))) {
            throw invalid("name", name, "must be a file name, without '/' and not hidden");
        }
        String content = put ? text(body, "content", true) : null;
        if (content != null && !content.matches("sha256:[0-9a-f]{64}")) {
            throw invalid("content", content, "must be an image's digest, sha256: and 64 lowercase hex digits");
        }
        Verb verb = switch (op) {
            case DatasetCommand.LS, DatasetCommand.GET -> Verb.GET;
            case DatasetCommand.RM -> Verb.DELETE;
            default -> Verb.UPDATE;
        };
        Caller caller = Access.caller(ex);
        String tenant = null; // the operator's, for a fleet-wide role
        if (!caller.scope(verb, Resource.DATASETS).fleet()) {
            tenant = text(body, "tenant", false);
            if (tenant == null) tenant = caller.onlyTenant();
            if (tenant == null) {
                throw invalid("tenant", null, "is required: you are bound to several tenants; say which one asks");
            }
            access.require(ex, verb, Resource.DATASETS, tenant, dataset);
            Owners owners = Owners.of(desired, sat);
            List<DatasetOps.Listing> listing = ops.listing(sat);
            if (dataset != null) reach(sat, owners, listing, tenant, "dataset", dataset, op.equals(DatasetCommand.RM)
                    || op.equals(DatasetCommand.MV) || put);
            if (to != null) reach(sat, owners, listing, tenant, "to", to, true);
        } else {
            access.require(ex, verb, Resource.DATASETS, null, dataset);
        }
        Long bytes = put ? uplink(ex, sat, tenant, content) : null;
        DatasetOps.Op queued = ops.queue(sat, tenant, op, dataset, file, to, name, content, bytes,
                put ? Access.caller(ex).name() : null);
        outbox.send(List.of(queued.bundleId()));
        Exchange.send(ex, 202, view(queued).put("message", "queued for " + sat + ": done at its next contact; "
                + "see GET /api/v1/satellites/" + sat + "/dataset-ops/" + queued.id()));
    }

    /**
     * Queues for {@code sat} the chunks it lacks of image {@code digest}, which {@code tenant} (null: the operator, who
     * may name any image) must have pushed; the image's size. A missing image and another tenant's are answered alike.
     */
    private long uplink(HttpExchange ex, String sat, String tenant, String digest) {
        if (images == null) throw invalid("op", DatasetCommand.PUT, "this ground keeps no images to put from");
        var img = images.find(digest);
        if (img.isEmpty() || tenant != null && !imageOwners.imageOwnedBy(digest, tenant)
                && !Access.caller(ex).scope(Verb.CREATE, Resource.IMAGES).fleet()) {
            throw invalid("content", digest, "no such image on ground; push the file first (POST /api/v1/images)");
        }
        try {
            images.uplink(sat, digest);
        } catch (io.orchide.model.ManifestException e) {
            throw new ApiException(500, "internal", "stored manifest of " + digest + " unreadable: " + e.getMessage());
        }
        return img.get().size();
    }

    private void listOps(HttpExchange ex, String sat) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.DATASETS);
        int limit = Exchange.intParam(Exchange.query(ex), "limit", 100, 1, 10_000);
        ArrayNode items = Exchange.JSON.arrayNode();
        for (DatasetOps.Op o : ops.list(sat, GroundApi.FILTERED_READ)) {
            if (items.size() == limit) break;
            if (scope.fleet() || o.tenant() != null && scope.includes(o.tenant())) items.add(view(o));
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", items);
        Exchange.send(ex, 200, o);
    }

    private void op(HttpExchange ex, String sat, String idText) throws IOException {
        Exchange.send(ex, 200, view(found(ex, sat, idText)));
    }

    /** The bytes a get brought down, once the node answered. */
    private void content(HttpExchange ex, String sat, String idText) throws IOException {
        DatasetOps.Op o = found(ex, sat, idText);
        byte[] bytes = ops.content(o.id()).orElseThrow(() -> new ApiException(404, "not_found",
                "operation " + idText + " brought no file down" + (o.state().equals(DatasetOps.QUEUED)
                        ? " yet: it is done at the satellite's next contact"
                        : DatasetOps.COMING.equals(o.downlink()) ? " yet: it is coming down (" + o.contentBytes()
                        + " bytes), after the answer; fetch again after the next contact" : ""),
                List.of(new FieldError("id", idText, "no content"))));
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Operation {@code idText} of {@code sat} if the caller may read it; another tenant's is answered as missing. */
    private DatasetOps.Op found(HttpExchange ex, String sat, String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            throw invalid("id", idText, "must be an operation's number");
        }
        DatasetOps.Op o = ops.get(id).filter(x -> x.satellite().equals(sat)).orElseThrow(() -> missingOp(idText));
        if (!access.may(ex, Verb.GET, Resource.DATASETS, o.tenant(), o.dataset())) throw missingOp(idText);
        return o;
    }

    /**
     * Refuses (as a missing dataset) unless {@code tenant} may read, or with {@code write} change, dataset
     * {@code name}: declared on ground, by its access; declared on the node only, by its reported tenant.
     */
    private static void reach(String sat, Owners owners, List<DatasetOps.Listing> listing, String tenant, String field,
                              String name, boolean write) {
        Dataset d = owners.dataset(name);
        boolean ok;
        if (d != null) {
            ok = write ? d.writableBy(tenant, TENANT, tenant) : d.readableBy(tenant, TENANT, tenant);
        } else {
            ok = listing.stream().anyMatch(l -> l.dataset().equals(name) && l.tenant().equals(tenant));
        }
        if (!ok) throw missing(sat, field, name);
    }

    private static boolean visible(Caller.Scope scope, Owners owners, DatasetOps.Listing l) {
        if (scope.fleet()) return true;
        if (scope.includes(l.tenant())) return true;
        Dataset d = owners.dataset(l.dataset());
        return d != null && scope.tenants().stream().anyMatch(t -> d.readableBy(t, TENANT, t));
    }

    private ObjectNode view(DatasetOps.Listing l, boolean withFiles) {
        ObjectNode o = Exchange.JSON.objectNode().put("name", l.dataset()).put("tenant", l.tenant())
                .put("node", l.node()).put("files", l.files()).put("bytes", l.bytes());
        ObjectNode quota = o.putObject("quota");
        if (l.quotaBytes() != null) quota.put("bytes", l.quotaBytes());
        if (l.quotaFiles() != null) quota.put("files", l.quotaFiles());
        putInstant(o, "reported", l.reported());
        o.put("ageSeconds", Math.max(0, Duration.between(l.reported(), clock.instant()).toSeconds()));
        if (withFiles) {
            o.set("items", jsonOr(l.items()));
            if (l.truncated()) o.put("truncated", true);
        }
        return o;
    }

    private static ObjectNode view(DatasetOps.Op o) {
        ObjectNode n = Exchange.JSON.objectNode().put("id", o.id()).put("satellite", o.satellite())
                .put("op", o.op()).put("state", o.state()).put("bundle", o.bundleId());
        if (o.tenant() != null) n.put("tenant", o.tenant());
        if (o.dataset() != null) n.put("dataset", o.dataset());
        if (o.file() != null) n.put("file", o.file());
        if (o.to() != null) n.put("to", o.to());
        if (o.name() != null) n.put("name", o.name());
        if (o.message() != null) n.put("message", o.message());
        if (o.node() != null) n.put("node", o.node());
        putInstant(n, "created", o.created());
        if (o.answered() != null) putInstant(n, "answered", o.answered());
        if (o.hasContent()) {
            n.put("content", "/api/v1/satellites/" + o.satellite() + "/dataset-ops/" + o.id() + "/content");
        }
        if (o.op().equals(DatasetCommand.PUT)) {
            n.put("upload", o.contentRef());
            if (o.contentBytes() != null) n.put("bytes", o.contentBytes());
        }
        if (o.downlink() != null) {
            n.putObject("downlink").put("state", o.downlink()).put("bytes", o.contentBytes());
        }
        return n;
    }

    private static ApiException missing(String sat, String field, String name) {
        return new ApiException(404, "not_found", "no dataset " + name + " on " + sat,
                List.of(new FieldError(field, name, "no such dataset")));
    }

    private static ApiException missingOp(String id) {
        return new ApiException(404, "not_found", "no dataset operation " + id,
                List.of(new FieldError("id", id, "no such operation")));
    }

    private static String label(JsonNode body, String field, boolean required) {
        String s = text(body, field, required);
        if (s != null && Names.dnsLabelProblem(s) != null) throw invalid(field, s, Names.dnsLabelProblem(s));
        return s;
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) throw invalid(field, null, "is required");
            return null;
        }
        if (!n.isTextual() || n.textValue().isEmpty()) throw invalid(field, n.toString(), "must be a non-empty string");
        return n.textValue();
    }
}
