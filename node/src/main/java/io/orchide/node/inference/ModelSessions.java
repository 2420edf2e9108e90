package io.orchide.node.inference;

import io.orchide.model.ContentRef;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The loaded models, one runner per digest. A model's file is read once, hashed, and given to the runner's factory
 * only when it hashes to the digest: bytes that differ never reach ONNX Runtime. Runners of digests no applied model
 * names any more are closed ({@link #retain}), so the sessions held are at most the models applied.
 */
public final class ModelSessions implements AutoCloseable {
    /** The largest model file loaded. */
    public static final long MAX_BYTES = 512L * 1024 * 1024;

    /** Why a model's file cannot be run: {@code code} as the broker answers it. */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        Refusal(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Function<String, Optional<Path>> files;
    private final ModelRunner.Factory factory;
    private final Map<String, ModelRunner> runners = new HashMap<>();

    /** Over {@code files}, the file of a digest in the node's content store, loading with {@code factory}. */
    public ModelSessions(Function<String, Optional<Path>> files, ModelRunner.Factory factory) {
        this.files = files;
        this.factory = factory;
    }

    /** The runner of the model whose file has {@code digest}, loaded and checked at the first call. */
    public synchronized ModelRunner runner(String digest) throws Refusal, InferenceException {
        ModelRunner held = runners.get(digest);
        if (held != null) return held;
        Optional<Path> file = files.apply(digest);
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            throw new Refusal(InferenceHandler.MODEL_NOT_HERE, "its file " + digest + " is not on this node (push it "
                    + "as an image)");
        }
        byte[] bytes;
        try {
            if (Files.size(file.get()) > MAX_BYTES) throw new Refusal(InferenceHandler.MODEL_NOT_HERE, "its file "
                    + file.get() + " is larger than " + MAX_BYTES + " bytes");
            try (InputStream in = Files.newInputStream(file.get())) {
                bytes = in.readNBytes((int) MAX_BYTES);
            }
        } catch (IOException e) {
            throw new InferenceException(InferenceException.FAILED, null, "cannot read " + file.get() + ": " + e.getMessage(), e);
        }
        String actual = ContentRef.PREFIX + HexFormat.of().formatHex(sha256(bytes));
        if (!actual.equals(digest)) {
            throw new Refusal(InferenceHandler.DIGEST_MISMATCH, "its file " + file.get() + " hashes to " + actual
                    + ", not to the model's digest " + digest);
        }
        ModelRunner r = factory.load(bytes);
        runners.put(digest, r);
        return r;
    }

    /** Closes the runners of digests not in {@code digests} (models deleted, or applied with another file). */
    public synchronized void retain(Set<String> digests) {
        runners.entrySet().removeIf(e -> {
            if (digests.contains(e.getKey())) return false;
            e.getValue().close();
            return true;
        });
    }

    /** The digests loaded now. */
    public synchronized Set<String> loaded() {
        return Set.copyOf(runners.keySet());
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public synchronized void close() {
        runners.values().forEach(ModelRunner::close);
        runners.clear();
    }
}
