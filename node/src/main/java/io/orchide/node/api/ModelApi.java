package io.orchide.node.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.image.ImageManifest;
import io.orchide.model.FieldError;
import io.orchide.model.Model;
import io.orchide.model.codec.ModelWriter;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.image.ContentImages;
import io.orchide.node.inference.ModelRegistry;
import io.orchide.node.inference.ModelSessions;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The node's models: {@code GET /api/v1/models} (each model's name, tenant, spec, whether its file is here and
 * whether it is loaded), {@code DELETE /api/v1/models/NAME}, and {@code POST /api/v1/images}, which stores a file
 * (a model, or any image) in the node's content store and answers its {@code sha256:} digest, as ground's does: so
 * {@code orchide image push model.onnx} works against a node. Models are applied through {@code /api/v1/apply}.
 */
public final class ModelApi {
    /** The largest file pushed here. */
    public static final long MAX_PUSH = ModelSessions.MAX_BYTES;
    private static final String NAME = "([a-z0-9][-a-z0-9]*)";

    private final ModelRegistry models;
    private final ModelSessions sessions;
    private final ContentImages images;
    private final AuditTrail audit;
    private final Consumer<String> deleted;

    /** {@code deleted} is told the name of a model deleted here (the sessions follow the models). */
    public ModelApi(ModelRegistry models, ModelSessions sessions, ContentImages images, AuditTrail audit,
                    Consumer<String> deleted) {
        this.models = models;
        this.sessions = sessions;
        this.images = images;
        this.audit = audit;
        this.deleted = deleted;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/models", (ex, m) -> list(ex))
                .route("GET", "/api/v1/models/" + NAME, (ex, m) -> one(ex, m.group(1)))
                .route("DELETE", "/api/v1/models/" + NAME, (ex, m) -> delete(ex, m.group(1)))
                .route("POST", "/api/v1/images", (ex, m) -> push(ex));
    }

    private void list(HttpExchange ex) throws IOException {
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Model m : models.list()) a.add(view(m));
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    private void one(HttpExchange ex, String name) throws IOException {
        Exchange.send(ex, 200, view(models.get(name).orElseThrow(() -> notFound(name))));
    }

    private static ApiException notFound(String name) {
        return new ApiException(404, "not_found", "no model " + name + " on this node",
                List.of(new FieldError("name", name, "no such model")));
    }

    private ObjectNode view(Model m) {
        ObjectNode n = Exchange.JSON.objectNode();
        n.put("name", m.name()).put("tenant", m.metadata().tenant());
        n.setAll((ObjectNode) ModelWriter.tree(m).get("spec"));
        n.put("present", images.has(m.spec().digest()));
        n.put("loaded", sessions.loaded().contains(m.spec().digest()));
        return n;
    }

    private void delete(HttpExchange ex, String name) throws IOException {
        Model m = models.get(name).orElseThrow(() -> notFound(name));
        models.delete(name);
        deleted.accept(name);
        audit.record(new AuditTrail.Change(AuditTrail.LOCAL, AuditTrail.DELETE, Model.KIND, name, m.metadata().tenant(),
                null, io.orchide.model.message.StatusReport.Audit.APPLIED, "deleted"));
        Exchange.send(ex, 200, Exchange.JSON.objectNode().put("kind", Model.KIND).put("name", name).put("result", "deleted"));
    }

    private void push(HttpExchange ex) throws IOException {
        Path spool = Files.createTempFile(images.store().dir(), "push-", ".part");
        try {
            long size;
            try (InputStream body = ex.getRequestBody(); OutputStream out = Files.newOutputStream(spool)) {
                size = body.transferTo(new Bounded(out));
            }
            ImageManifest m = images.store().importFile(spool);
            Exchange.send(ex, 201, Exchange.JSON.objectNode().put("digest", m.digest()).put("size", size));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** Stops a body larger than {@link #MAX_PUSH} before the disk fills. */
    private static final class Bounded extends java.io.FilterOutputStream {
        private long written;

        Bounded(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > MAX_PUSH) {
                throw new ApiException(413, "too_large", "a file pushed to a node is at most " + MAX_PUSH + " bytes",
                        List.of(new FieldError("body", written + " bytes", "is too large")));
            }
            out.write(b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }
    }
}
