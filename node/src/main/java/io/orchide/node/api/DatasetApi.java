package io.orchide.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.model.DatasetSpec;
import io.orchide.model.FieldError;
import io.orchide.model.codec.Durations;
import io.orchide.node.dataset.DatasetFileLineage;
import io.orchide.node.dataset.DatasetFiles;
import io.orchide.node.dataset.NoSuchDatasetException;
import io.orchide.node.dataset.QuotaExceededException;
import io.orchide.node.device.DeviceInputException;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;

/**
 * The node's datasets: {@code GET /api/v1/datasets} (name, tenant, files, bytes, quota, retention; undeclared
 * datasets show the tenant {@value DatasetFiles#OPERATOR}), {@code GET /api/v1/datasets/NAME},
 * {@code DELETE /api/v1/datasets/NAME} (forgets its declaration; its files stay, the operator's),
 * {@code GET /api/v1/datasets/NAME/files}, {@code GET /api/v1/datasets/NAME/files/FILE} (with the lineage of a file
 * a pipeline wrote: run, step, output, image, inputs), {@code DELETE /api/v1/datasets/NAME/files/FILE}, and
 * {@code POST /api/v1/datasets/NAME/files/FILE/copy|move} with {@code {"to": DATASET, "name": NEW-NAME}} (the name is
 * optional). The local API's caller holds the node's token: the operator, who may do all of it; a target's quota
 * holds for everyone (409 {@code quota_exceeded} with quota, use and request).
 */
public final class DatasetApi {
    private static final String NAME = "([a-z0-9][-a-z0-9]*)";
    private static final String FILE = "([^/]+)";

    private final DatasetFiles datasets;

    public DatasetApi(DatasetFiles datasets) {
        this.datasets = datasets;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/datasets", (ex, m) -> list(ex))
                .route("GET", "/api/v1/datasets/" + NAME, (ex, m) -> describe(ex, m.group(1)))
                .route("GET", "/api/v1/datasets/" + NAME + "/files", (ex, m) -> files(ex, m.group(1)))
                .route("GET", "/api/v1/datasets/" + NAME + "/files/" + FILE,
                        (ex, m) -> describeFile(ex, m.group(1), m.group(2)))
                .route("DELETE", "/api/v1/datasets/" + NAME, (ex, m) -> undeclare(ex, m.group(1)))
                .route("DELETE", "/api/v1/datasets/" + NAME + "/files/" + FILE,
                        (ex, m) -> delete(ex, m.group(1), m.group(2)))
                .route("POST", "/api/v1/datasets/" + NAME + "/files/" + FILE + "/(copy|move)",
                        (ex, m) -> copy(ex, m.group(1), m.group(2), m.group(3).equals("move")));
    }

    private void list(HttpExchange ex) throws IOException {
        ArrayNode a = Exchange.JSON.arrayNode();
        for (DatasetFiles.View v : datasets.list()) a.add(view(v));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void describe(HttpExchange ex, String name) throws IOException {
        try {
            Exchange.send(ex, 200, view(datasets.get(name)));
        } catch (NoSuchDatasetException e) {
            throw notFound(e);
        }
    }

    private void files(HttpExchange ex, String name) throws IOException {
        ArrayNode a = Exchange.JSON.arrayNode();
        try {
            for (DatasetFiles.FileView f : datasets.files(name)) a.add(file(f));
        } catch (NoSuchDatasetException e) {
            throw notFound(e);
        }
        ObjectNode o = Exchange.JSON.objectNode().put("dataset", name);
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void describeFile(HttpExchange ex, String name, String file) throws IOException {
        DatasetFiles.FileDetail d;
        try {
            d = datasets.file(name, file);
        } catch (NoSuchDatasetException e) {
            throw notFound(e);
        }
        ObjectNode o = file(d.file()).put("dataset", name);
        d.lineage().filter(DatasetFileLineage::isUplinked).ifPresent(l -> o.putObject("lineage")
                .put("uplinkedBy", l.uplinkedBy()).put("sha256", l.sha256()).put("written", l.written().toString()));
        d.lineage().filter(l -> !l.isUplinked()).ifPresent(l -> {
            ObjectNode n = o.putObject("lineage").put("run", l.run()).put("pipeline", l.pipeline())
                    .put("step", l.step()).put("output", l.output()).put("sha256", l.sha256())
                    .put("written", l.written().toString());
            if (l.item() != null) n.put("item", l.item());
            if (l.image() != null) n.put("image", l.image());
            ObjectNode inputs = n.putObject("inputs");
            l.inputs().forEach(inputs::put);
        });
        Exchange.send(ex, 200, o);
    }

    private void undeclare(HttpExchange ex, String name) throws IOException {
        try {
            datasets.undeclare(name);
        } catch (NoSuchDatasetException e) {
            throw notFound(e);
        }
        Exchange.send(ex, 200, Exchange.JSON.objectNode().put("name", name).put("result", "deleted"));
    }

    private void delete(HttpExchange ex, String name, String file) throws IOException {
        try {
            datasets.delete(name, file);
        } catch (NoSuchDatasetException e) {
            throw notFound(e);
        }
        Exchange.send(ex, 200, Exchange.JSON.objectNode().put("dataset", name).put("name", file)
                .put("result", "deleted"));
    }

    private void copy(HttpExchange ex, String name, String file, boolean move) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        String to = text(body, "to", true);
        String newName = text(body, "name", false);
        DatasetFiles.FileView f;
        try {
            f = datasets.copy(name, file, to, newName, move);
        } catch (NoSuchDatasetException e) {
            throw notFound(e);
        } catch (DeviceInputException e) {
            throw new ApiException(400, "invalid", "invalid request", List.of(new FieldError("name", newName,
                    e.getMessage())));
        } catch (FileAlreadyExistsException e) {
            throw new ApiException(409, "exists", to + " already holds a file named " + targetName(newName, file),
                    List.of(new FieldError("name", targetName(newName, file), "is taken in dataset " + to
                            + "; a file is never overwritten")));
        } catch (QuotaExceededException e) {
            throw new QuotaRefused(e);
        }
        ObjectNode o = file(f).put("dataset", to).put("from", name + "/" + file)
                .put("result", move ? "moved" : "copied");
        Exchange.send(ex, 201, o);
    }

    private static String targetName(String newName, String file) {
        return newName == null ? file : newName;
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) throw new ApiException(400, "invalid", "invalid request",
                    List.of(new FieldError(field, null, "is required")));
            return null;
        }
        if (!n.isTextual() || n.textValue().isEmpty()) {
            throw new ApiException(400, "invalid", "invalid request",
                    List.of(new FieldError(field, n.toString(), "must be a non-empty string")));
        }
        return n.textValue();
    }

    static ObjectNode view(DatasetFiles.View v) {
        ObjectNode o = Exchange.JSON.objectNode().put("name", v.name()).put("tenant", v.tenant())
                .put("declared", v.declaration().isPresent())
                .put("files", v.use().files()).put("bytes", v.use().bytes());
        DatasetSpec.Quota q = v.quota();
        ObjectNode quota = o.putObject("quota");
        if (q.bytes() != null) quota.put("bytes", q.bytes());
        if (q.files() != null) quota.put("files", q.files());
        v.declaration().ifPresent(d -> {
            DatasetSpec.Retention r = d.spec().retention();
            ObjectNode ret = o.putObject("retention");
            if (r.maxAge() != null) ret.put("maxAge", Durations.format(r.maxAge()));
            if (r.keepLast() != null) ret.put("keepLast", r.keepLast());
        });
        return o;
    }

    private static ObjectNode file(DatasetFiles.FileView f) {
        return Exchange.JSON.objectNode().put("name", f.name()).put("bytes", f.bytes())
                .put("modified", f.modified().toString());
    }

    private static ApiException notFound(NoSuchDatasetException e) {
        return new ApiException(404, "not_found", e.getMessage(), List.of(new FieldError(e.field(), e.value(),
                e.field().equals("file") ? "no such file" : "no such dataset")));
    }

    /** 409 {@code quota_exceeded}, with the dataset, the quota, the use and the request in the body. */
    private static final class QuotaRefused extends ApiException {
        private final transient QuotaExceededException cause;

        QuotaRefused(QuotaExceededException e) {
            super(409, QuotaExceededException.CODE, e.getMessage(), List.of(new FieldError("quota." + e.what(),
                    Long.toString(e.request()), "quota " + e.quota() + ", use " + e.use() + ", request "
                    + e.request())), 0, e);
            this.cause = e;
        }

        @Override
        public void details(ObjectNode body) {
            body.put("dataset", cause.dataset()).put("quota", cause.what()).put("limit", cause.quota())
                    .put("used", cause.use()).put("requested", cause.request());
        }
    }
}
