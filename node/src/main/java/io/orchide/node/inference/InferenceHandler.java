package io.orchide.node.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.FieldValueException;
import io.orchide.model.Model;
import io.orchide.model.message.StatusReport;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.broker.Caller;
import io.orchide.node.broker.VerbHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The broker's {@code infer} verb, for guests that carry no AI framework: {@code {"verb": "infer", "model": NAME,
 * "input": {"shape": [1, 1, 8, 8], "data": [...]}}} (or {@code "base64"}: the float32 values, little-endian, in place
 * of {@code data}; {@code "name"}: the model's input, when it has several) answered with
 * {@code {"ok": true, "model", "digest", "result": {"outputs": [{"name", "shape", "data" or "base64"}]}}}, the
 * outputs in the encoding of the input. A model runs only when it is applied on the node ({@code kind: Model}),
 * allows the caller's tenant and this node's accelerator class, and the caller's app or pipeline declares it
 * ({@code spec.models}); every decision is audited (a refusal naming the reason, synced before the answer; an allowed
 * request naming the model's digest, written before it runs: {@link AuditTrail#recordDecision}). The model's file is
 * re-hashed against the model's digest before its session is made, and the session is kept for that digest.
 */
public final class InferenceHandler implements VerbHandler {
    public static final String VERB = "infer";
    public static final String NO_SUCH_MODEL = "no_such_model", MODEL_NOT_ALLOWED = "model_not_allowed",
            MODEL_NOT_DECLARED = "model_not_declared", MODEL_NOT_HERE = "model_not_here",
            DIGEST_MISMATCH = "digest_mismatch";
    /** The origin and kind the audit records name. */
    public static final String ORIGIN = "broker", KIND = "Model";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Function<String, Optional<Model>> models;
    private final BiPredicate<Caller, String> declares;
    private final ModelSessions sessions;
    private final String acceleratorClass;
    private final Consumer<AuditTrail.Change> audit;

    /**
     * Over the applied {@code models} by name; {@code declares} says whether a caller's app or pipeline lists a model
     * in its {@code spec.models}; {@code sessions} loads and keeps the runners; the models run on accelerator class
     * {@code acceleratorClass} ({@code cpu} for ONNX Runtime on the host's processors).
     */
    public InferenceHandler(Function<String, Optional<Model>> models, BiPredicate<Caller, String> declares,
                            ModelSessions sessions, String acceleratorClass, Consumer<AuditTrail.Change> audit) {
        this.models = Objects.requireNonNull(models);
        this.declares = Objects.requireNonNull(declares);
        this.sessions = Objects.requireNonNull(sessions);
        this.acceleratorClass = Objects.requireNonNull(acceleratorClass);
        this.audit = Objects.requireNonNull(audit);
    }

    @Override
    public ObjectNode answer(Caller caller, JsonNode req) {
        JsonNode id = req.get("id");
        String name = req.path("model").asText(null);
        if (name == null || name.isBlank()) return VerbHandler.refused(id, InferenceException.BAD_INPUT, "model", "is required");
        JsonNode in = req.get("input");
        if (in == null || !in.isObject()) {
            return VerbHandler.refused(id, InferenceException.BAD_INPUT, "input", "is required: {shape, data} or {shape, base64}");
        }
        boolean base64 = in.has("base64");
        Tensor input;
        try {
            input = tensor(in, base64);
        } catch (FieldValueException e) {
            return VerbHandler.refused(id, InferenceException.BAD_INPUT, "input." + e.field(), e.getMessage());
        }
        Optional<Model> found = models.apply(name);
        if (found.isEmpty()) return refuse(id, caller, name, NO_SUCH_MODEL, "no model " + name + " is applied on this node");
        Model model = found.get();
        if (!model.spec().tenantsOr(model.metadata().tenant()).contains(caller.tenant())) {
            return refuse(id, caller, name, MODEL_NOT_ALLOWED, "model " + name + " is not allowed for tenant "
                    + caller.tenant() + " (it allows " + String.join(", ", model.spec().tenantsOr(model.metadata().tenant())) + ")");
        }
        if (!model.spec().accelerators().contains(acceleratorClass)) {
            return refuse(id, caller, name, MODEL_NOT_ALLOWED, "model " + name + " may run on "
                    + String.join(", ", model.spec().accelerators()) + ", not on this node's " + acceleratorClass);
        }
        if (!declares.test(caller, name)) {
            return refuse(id, caller, name, MODEL_NOT_DECLARED, caller.kind() + " " + caller.name()
                    + " does not list model " + name + " in its spec.models");
        }
        ModelRunner runner;
        try {
            runner = sessions.runner(model.spec().digest());
        } catch (ModelSessions.Refusal r) {
            return refuse(id, caller, name, r.code(), "model " + name + ": " + r.getMessage());
        } catch (InferenceException e) {
            return VerbHandler.refused(id, e.code(), e.field(), "model " + name + ": " + e.getMessage());
        }
        audit.accept(new AuditTrail.Change(ORIGIN, VERB, KIND, name, caller.tenant(), null, StatusReport.Audit.ALLOWED,
                caller.kind() + " " + caller.name() + ": model " + name + " (" + model.spec().digest() + ") on "
                + acceleratorClass));
        try {
            Map<String, Tensor> outputs = runner.run(in.path("name").asText(null), input);
            ObjectNode result = F.objectNode();
            ArrayNode list = result.putArray("outputs");
            outputs.forEach((n, t) -> list.add(json(n, t, base64)));
            ObjectNode a = VerbHandler.ok(id, result);
            a.put("model", name).put("digest", model.spec().digest());
            return a;
        } catch (InferenceException e) {
            return VerbHandler.refused(id, e.code(), e.field(), "model " + name + ": " + e.getMessage());
        }
    }

    private ObjectNode refuse(JsonNode id, Caller caller, String model, String code, String reason) {
        audit.accept(new AuditTrail.Change(ORIGIN, VERB, KIND, model, caller.tenant(), null, StatusReport.Audit.REFUSED,
                caller.kind() + " " + caller.name() + ": " + reason));
        return VerbHandler.refused(id, code, null, reason);
    }

    static Tensor tensor(JsonNode in, boolean base64) {
        JsonNode shapeNode = in.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw new FieldValueException("shape", shapeNode, "must be a list of dimensions");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber()) throw new FieldValueException("shape[" + i + "]", d, "must be a whole number");
            shape[i] = d.asLong();
        }
        float[] data;
        if (base64) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(in.path("base64").asText(""));
            } catch (IllegalArgumentException e) {
                throw new FieldValueException("base64", "(" + in.path("base64").asText("").length() + " characters)",
                        "is not base64: " + e.getMessage());
            }
            if (bytes.length % 4 != 0) throw new FieldValueException("base64", bytes.length + " bytes", "must hold float32 values (4 bytes each)");
            data = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        } else {
            JsonNode values = in.get("data");
            if (values == null || !values.isArray()) throw new FieldValueException("data", values, "must be a list of numbers (or give base64)");
            data = new float[values.size()];
            for (int i = 0; i < data.length; i++) {
                JsonNode v = values.get(i);
                if (!v.isNumber()) throw new FieldValueException("data[" + i + "]", v, "must be a number");
                data[i] = v.floatValue();
            }
        }
        return new Tensor(shape, data);
    }

    private static ObjectNode json(String name, Tensor t, boolean base64) {
        ObjectNode o = F.objectNode();
        o.put("name", name);
        ArrayNode shape = o.putArray("shape");
        for (long d : t.shape()) shape.add(d);
        if (base64) {
            ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data());
            o.put("base64", Base64.getEncoder().encodeToString(b.array()));
        } else {
            ArrayNode data = o.putArray("data");
            for (float f : t.data()) data.add(f);
        }
        return o;
    }
}
