package io.orchide.node.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model run by ONNX Runtime on the host's processors (its CPU execution provider). Inputs and outputs are float32
 * tensors; an input's shape must match the model's where the model fixes a dimension. ONNX Runtime's session is
 * safe to run from several threads at once.
 */
public final class OnnxRunner implements ModelRunner {
    /** Loads models with ONNX Runtime; its native library is loaded at the first model, not at the agent's start. */
    public static final Factory FACTORY = OnnxRunner::load;

    private final OrtEnvironment env;
    private final OrtSession session;
    // runs share the session; a close waits for the runs in progress and comes after them
    private final java.util.concurrent.locks.ReentrantReadWriteLock use = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean closed;

    private OnnxRunner(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    private static ModelRunner load(byte[] bytes) throws InferenceException {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // a payload computer's cores are shared with the tenants' workloads: one thread per inference
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                return new OnnxRunner(env, env.createSession(bytes, options));
            }
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.FAILED, null, "ONNX Runtime cannot load the model: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Tensor> run(String inputName, Tensor input) throws InferenceException {
        use.readLock().lock();
        try {
            if (closed) throw new InferenceException(InferenceException.FAILED, null, "the model was unloaded; ask again", null);
            return runOpen(inputName, input);
        } finally {
            use.readLock().unlock();
        }
    }

    private Map<String, Tensor> runOpen(String inputName, Tensor input) throws InferenceException {
        Map<String, NodeInfo> inputs;
        try {
            inputs = session.getInputInfo();
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.FAILED, null, e.getMessage(), e);
        }
        String name = inputName;
        if (name == null) {
            if (inputs.size() != 1) throw new InferenceException(InferenceException.BAD_INPUT, "input.name",
                    "the model has inputs " + inputs.keySet() + ": name the one given", null);
            name = inputs.keySet().iterator().next();
        } else if (!inputs.containsKey(name)) {
            throw new InferenceException(InferenceException.BAD_INPUT, "input.name", "the model has no input " + name
                    + " (its inputs: " + inputs.keySet() + ")", null);
        }
        if (inputs.get(name).getInfo() instanceof TensorInfo ti) check(ti, input);
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape());
             OrtSession.Result result = session.run(Map.of(name, t))) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                if (!(e.getValue() instanceof OnnxTensor ot) || ot.getInfo().type != OnnxJavaType.FLOAT) {
                    throw new InferenceException(InferenceException.FAILED, null, "output " + e.getKey()
                            + " is not a float32 tensor; only such outputs are returned", null);
                }
                FloatBuffer b = ot.getFloatBuffer();
                float[] data = new float[b.remaining()];
                b.get(data);
                long[] shape = ot.getInfo().getShape();
                out.put(e.getKey(), new Tensor(shape.length == 0 ? new long[]{1} : shape, data));
            }
            return out;
        } catch (OrtException e) {
            throw new InferenceException(InferenceException.FAILED, null, "ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static void check(TensorInfo ti, Tensor input) throws InferenceException {
        if (ti.type != OnnxJavaType.FLOAT) {
            throw new InferenceException(InferenceException.BAD_INPUT, "input", "the model's input is of type "
                    + ti.type + "; only float32 inputs are taken", null);
        }
        long[] want = ti.getShape();
        boolean fits = want.length == input.shape().length;
        for (int i = 0; fits && i < want.length; i++) fits = want[i] < 0 || want[i] == input.shape()[i];
        if (!fits) {
            throw new InferenceException(InferenceException.BAD_INPUT, "input.shape", "the model takes shape "
                    + Arrays.toString(want) + " (-1: any), not " + Arrays.toString(input.shape()), null);
        }
    }

    @Override
    public void close() {
        use.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            session.close();
        } catch (OrtException e) {
            System.getLogger(OnnxRunner.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot close an ONNX Runtime session: " + e.getMessage());
        } finally {
            use.writeLock().unlock();
        }
    }
}
