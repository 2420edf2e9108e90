package io.orchide.node.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.SecretSealing;
import io.orchide.model.App;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.Secret;
import io.orchide.model.SecretRef;
import io.orchide.node.workload.ApplyResult;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The node's Secrets, as ground sealed them: one file per Secret, {@code <dir>/<name>.json}, mode 0600 in a 0700
 * directory, holding only ciphertexts and key names. A value is opened with the node's private key only when a
 * workload that names it starts ({@link #environment}), and goes nowhere but that workload's environment.
 */
public final class NodeSecrets implements io.orchide.node.workload.WorkloadLauncher.SecretValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path privateKey;
    private final Path publicKey;

    private final SecretFiles files;

    /** Secrets in {@code dir}, opened with the node's key pair in {@code privateKey} and {@code publicKey}. */
    public NodeSecrets(Path dir, Path privateKey, Path publicKey) {
        this(dir, privateKey, publicKey, SecretFiles.inSharedMemory());
    }

    /** As above, with the secret files of {@code spec.secretMounts} in {@code files}. */
    public NodeSecrets(Path dir, Path privateKey, Path publicKey, SecretFiles files) {
        this.dir = dir;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.files = files;
    }

    /**
     * Refuses, naming the path and its mode, a node key or a secrets directory or file that the agent user's group or
     * others may use: checked at the agent's start, before anything runs.
     */
    public static void checkOwnerOnly(Path nodeKey, Path secretsDir) throws IOException {
        if (Files.exists(nodeKey)) OwnerOnlyFiles.requireOwnerOnly(nodeKey, "the node's private key");
        if (!Files.isDirectory(secretsDir)) return;
        OwnerOnlyFiles.requireOwnerOnly(secretsDir, "the node's secrets directory");
        try (Stream<Path> s = Files.list(secretsDir)) {
            for (Path p : s.sorted().toList()) OwnerOnlyFiles.requireOwnerOnly(p, "the sealed secret");
        }
    }

    /** Stores a sealed Secret (refusing a clear one, or one not sealed to this node's key). */
    public synchronized ApplyResult apply(Secret secret) throws SecretRefusedException {
        if (!secret.isSealed()) {
            throw new SecretRefusedException("data", secret.name(), "a node takes a Secret only as ground seals it to "
                    + "the node's key: apply the Secret to ground");
        }
        String mine = fingerprint();
        if (secret.sealed().copies().stream().noneMatch(c -> c.nodeKey().equals(mine))) {
            throw new SecretRefusedException("sealed.copies", secret.name(), "Secret " + secret.name()
                    + " is not sealed to this node's key " + mine + " (register the key on ground and apply the Secret again)");
        }
        try {
            Optional<Secret> before = get(secret.name());
            if (before.filter(secret::equals).isPresent()) return ApplyResult.UNCHANGED;
            OwnerOnlyFiles.directory(dir);
            OwnerOnlyFiles.write(file(secret.name()), Manifests.toJson(secret));
            return before.isPresent() ? ApplyResult.CONFIGURED : ApplyResult.CREATED;
        } catch (IOException e) {
            throw new SecretRefusedException(null, secret.name(), "cannot store Secret " + secret.name() + ": " + e.getMessage());
        }
    }

    /** Forgets Secret {@code name}; whether it was here. */
    public synchronized boolean delete(String name) {
        try {
            return Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Secret {@code name} as stored (sealed), if here. */
    public synchronized Optional<Secret> get(String name) {
        Path f = file(name);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(Manifests.parseSecret(Files.readString(f)));
        } catch (IOException | ManifestException e) {
            throw new IllegalStateException("stored Secret " + f + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Every Secret here, by name. */
    public synchronized List<Secret> list() {
        if (!Files.isDirectory(dir)) return List.of();
        List<Secret> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".json") && !n.startsWith(".")) get(n.substring(0, n.length() - 5)).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The variables {@code app} takes from Secrets, opened now: each from a Secret of the App's own tenant that holds
     * the key named. Refused, naming the variable and the Secret, when the Secret is missing (or another tenant's:
     * said the same way), lacks the key, or does not open with this node's key.
     */
    public Map<String, String> environment(App app) throws LaunchException {
        Map<String, SecretRef> refs = new TreeMap<>(app.spec().secretEnv());
        if (refs.isEmpty()) return Map.of();
        String tenant = app.metadata().tenant();
        Map<String, Map<String, String>> opened = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (var e : refs.entrySet()) {
            String field = "spec.env." + e.getKey();
            SecretRef ref = e.getValue();
            Map<String, String> data = opened.get(ref.secret());
            if (data == null) {
                data = opened(tenant, ref.secret(), field);
                opened.put(ref.secret(), data);
            }
            String value = data.get(ref.key());
            if (value == null) {
                throw new LaunchException(field + ".key", ref.key(), "Secret " + ref.secret() + " has no key " + ref.key()
                        + " (its keys: " + String.join(", ", data.keySet()) + ")");
            }
            env.put(e.getKey(), value);
        }
        return env;
    }

    /**
     * The files {@code app} takes from Secrets ({@code spec.secretMounts}), opened now and written on a tmpfs for the
     * run in {@code runDir}: the read-only mounts that lend them to the workload. Refused as {@link #environment} is.
     */
    @Override
    public List<io.orchide.model.Mount> files(App app, Path runDir) throws LaunchException {
        List<io.orchide.model.SecretMount> mounts = app.spec().secretMounts();
        if (mounts.isEmpty()) {
            files.forget(runDir);
            return List.of();
        }
        List<SecretFiles.SecretDir> dirs = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            String field = "spec.secretMounts[" + i + "]";
            dirs.add(new SecretFiles.SecretDir(field, mounts.get(i).mountPath(),
                    opened(app.metadata().tenant(), mounts.get(i).secret(), field)));
        }
        return files.write(runDir, dirs);
    }

    @Override
    public void forget(Path runDir) {
        files.forget(runDir);
    }

    private Map<String, String> opened(String tenant, String name, String field) throws LaunchException {
        Secret s = get(name).filter(x -> x.metadata().tenant().equals(tenant)).orElseThrow(() ->
                new LaunchException(field + ".secret", name, "no Secret " + name + " of tenant "
                        + tenant + " on this node (apply it to ground for this satellite)"));
        return open(s, field);
    }

    private Map<String, String> open(Secret s, String field) throws LaunchException {
        KeyPair keys;
        try {
            keys = KeyFiles.load(privateKey, publicKey);
        } catch (IOException | RuntimeException e) {
            throw new LaunchException(field + ".secret", s.name(), "the node's key cannot open Secret " + s.name()
                    + ": " + e.getMessage());
        }
        String fp = KeyFiles.fingerprint(keys.getPublic());
        Secret.Copy copy = s.sealed().copies().stream().filter(c -> c.nodeKey().equals(fp)).findFirst()
                .orElseThrow(() -> new LaunchException(field + ".secret", s.name(), "Secret " + s.name()
                        + " is not sealed to this node's key " + fp));
        byte[] plain = null;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            plain = SecretSealing.open(keys.getPrivate(), new SecretSealing.Sealed(b64.decode(copy.ephemeral()),
                    b64.decode(copy.ciphertext())), Secret.associatedData(s.metadata().tenant(), s.name(),
                    s.sealed().version(), fp));
            JsonNode n = JSON.readTree(plain);
            Map<String, String> data = new TreeMap<>();
            n.fields().forEachRemaining(f -> data.put(f.getKey(), f.getValue().asText()));
            return data;
        } catch (SecretSealing.OpenFailed | IOException | IllegalArgumentException e) {
            throw new LaunchException(field + ".secret", s.name(), "Secret " + s.name() + " does not open with this node's key "
                    + fp + ": " + e.getMessage());
        } finally {
            if (plain != null) Arrays.fill(plain, (byte) 0);
        }
    }

    private String fingerprint() throws SecretRefusedException {
        try {
            return KeyFiles.fingerprint(KeyFiles.readPublic(publicKey));
        } catch (IOException | RuntimeException e) {
            throw new SecretRefusedException(null, publicKey.toString(), "the node has no key to open secrets with ("
                    + e.getMessage() + "); make it with orchide node init");
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".json");
    }
}
