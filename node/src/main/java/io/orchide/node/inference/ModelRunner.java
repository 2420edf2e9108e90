package io.orchide.node.inference;

import java.util.Map;

/** Runs a model on one input tensor. An implementation is built for a model's bytes, verified against its digest. */
public interface ModelRunner extends AutoCloseable {
    /** The outputs, by name, for {@code input} given to the model's input {@code inputName} (null: its only one). */
    Map<String, Tensor> run(String inputName, Tensor input) throws InferenceException;

    @Override
    void close();

    /** Builds a runner for the model in {@code bytes}, whose digest the caller checked. */
    interface Factory {
        ModelRunner load(byte[] bytes) throws InferenceException;
    }
}
