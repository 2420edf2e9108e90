package io.orchide.client.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.ManifestException;
import io.orchide.model.codec.TreeParser;
import io.orchide.model.codec.Trees;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The client's configuration file, {@code $ORCHIDE_CONFIG} or {@code ~/.config/orchide/config}: YAML in the shape of a
 * manifest, holding tokens, so it is written for its owner only (mode 0600) and whole: into a temporary file beside
 * it, flushed to disk, then renamed over it, so that a reader sees the old file or the new one, never a part. Reading
 * checks every field; a file with an unknown field or a bad value is refused whole, naming the file, the field and the
 * value, and a command that would change it changes nothing.
 *
 * <pre>
 * apiVersion: orchide.io/v1
 * kind: Config
 * currentContext: ocean
 * contexts:
 * - name: ocean
 *   server: http://127.0.0.1:7000
 *   token: ...
 *   tenant: ocean-team
 *   satellite: sat-1
 *   issuer: https://login.example.com/realms/ops     # only for a token from orchide login --oidc-issuer
 * </pre>
 */
public final class ConfigFile {
    public static final String ENV = "ORCHIDE_CONFIG";
    private static final String API_VERSION = "orchide.io/v1";
    private static final String KIND = "Config";
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "currentContext", "contexts");
    private static final Set<String> FIELDS = Set.of("name", "server", "token", "tenant", "satellite", "issuer");

    private final Path path;

    public ConfigFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    /** The file the environment names: {@code $ORCHIDE_CONFIG}, else {@code ~/.config/orchide/config}. */
    public static ConfigFile of(Function<String, String> env) {
        String set = env.apply(ENV);
        if (set != null && !set.isBlank()) return new ConfigFile(Path.of(set));
        String home = env.apply("HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
        return new ConfigFile(base.resolve(".config").resolve("orchide").resolve("config"));
    }

    public Path path() { return path; }

    /** The configuration in the file; {@link ClientConfig#EMPTY} when there is no file yet. */
    public ClientConfig read() {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return ClientConfig.EMPTY;
        } catch (IOException e) {
            throw new ConfigException(path, "", "cannot read it: " + e.getMessage());
        }
        List<JsonNode> docs;
        try {
            docs = TreeParser.documents(text);
        } catch (ManifestException e) {
            // a parser quotes the text it stumbled on, which may be a token: quoted text is left out
            String why = e.errors().isEmpty() ? "" : e.errors().getFirst().message();
            throw new ConfigException(path, "", "not YAML: " + why.replaceAll("'[^']{4,}'", "'…'")
                    .replaceAll("\"[^\"]{4,}\"", "\"…\""));
        }
        if (docs.isEmpty()) return ClientConfig.EMPTY;
        if (docs.size() > 1) throw new ConfigException(path, "", "holds " + docs.size() + " documents, expected one");
        return parse(docs.getFirst());
    }

    private ClientConfig parse(JsonNode root) {
        if (!root.isObject()) throw new ConfigException(path, "", "expected a mapping at the top (got " + root + ")");
        unknown(root, TOP, "");
        expect(root, "apiVersion", API_VERSION);
        expect(root, "kind", KIND);
        JsonNode list = root.path("contexts");
        List<Context> contexts = new ArrayList<>();
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) throw new ConfigException(path, "contexts", "expected a list (got " + list + ")");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Context c = context(list.get(i), "contexts[" + i + "]");
                if (!names.add(c.name())) {
                    throw new ConfigException(path, "contexts[" + i + "].name", "a second context named " + c.name());
                }
                contexts.add(c);
            }
        }
        String current = text(root, "currentContext", "currentContext");
        if (current != null && contexts.stream().noneMatch(c -> c.name().equals(current))) {
            throw new ConfigException(path, "currentContext", "no context named " + current);
        }
        return new ClientConfig(current, contexts);
    }

    private Context context(JsonNode n, String at) {
        if (!n.isObject()) throw new ConfigException(path, at, "expected a mapping (got " + n + ")");
        unknown(n, FIELDS, at + ".");
        String name = text(n, "name", at + ".name");
        if (name == null) throw new ConfigException(path, at + ".name", "is missing");
        check(at + ".name", ConfigValues.name(name));
        String server = text(n, "server", at + ".server");
        if (server != null) check(at + ".server", ConfigValues.server(server));
        String token = n.has("token") && n.get("token").isTextual() ? n.get("token").asText() : null;
        if (n.has("token") && !n.get("token").isNull() && token == null) {
            throw new ConfigException(path, at + ".token", "expected text (value not shown)");
        }
        if (token != null) check(at + ".token", ConfigValues.token(token));
        String tenant = text(n, "tenant", at + ".tenant");
        if (tenant != null) check(at + ".tenant", ConfigValues.name(tenant));
        String satellite = text(n, "satellite", at + ".satellite");
        if (satellite != null) check(at + ".satellite", ConfigValues.name(satellite));
        String issuer = text(n, "issuer", at + ".issuer");
        if (issuer != null) check(at + ".issuer", ConfigValues.issuer(issuer));
        return new Context(name, server == null ? null : ConfigValues.normalizedServer(server), token, tenant, satellite,
                issuer);
    }

    private void check(String field, String problem) {
        if (problem != null) throw new ConfigException(path, field, problem);
    }

    private void unknown(JsonNode n, Set<String> known, String prefix) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new ConfigException(path, prefix + f, "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private void expect(JsonNode root, String field, String value) {
        String got = text(root, field, field);
        if (got != null && !got.equals(value)) {
            throw new ConfigException(path, field, "expected " + value + " (got " + got + ")");
        }
    }

    private String text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new ConfigException(path, at, "expected text (got " + v + ")");
        return v.asText();
    }

    /** Replaces the file with {@code config}, whole and for its owner only; makes its folder (mode 0700) if needed. */
    public void write(ClientConfig config) {
        byte[] bytes = Trees.toYaml(tree(config)).getBytes(StandardCharsets.UTF_8);
        Path dir = path.getParent();
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            // created 0600 from the start: the token is never readable by others, not even for an instant
            tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new ConfigException(path, "", "cannot replace it atomically: " + e.getMessage());
            }
            tmp = null;
        } catch (IOException e) {
            throw new ConfigException(path, "", "cannot write it: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // its name says what it is; the file itself is untouched
                }
            }
        }
    }

    private static JsonNode tree(ClientConfig config) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("apiVersion", API_VERSION);
        root.put("kind", KIND);
        if (config.currentContext() != null) root.put("currentContext", config.currentContext());
        ArrayNode list = root.putArray("contexts");
        for (Context c : config.contexts()) {
            ObjectNode o = list.addObject();
            for (Map.Entry<String, String> f : List.of(Map.entry("name", c.name()), entry("server", c.server()),
                    entry("token", c.token()), entry("tenant", c.tenant()), entry("satellite", c.satellite()),
                    entry("issuer", c.issuer()))) {
                if (f.getValue() != null) o.put(f.getKey(), f.getValue());
            }
        }
        return root;
    }

    private static Map.Entry<String, String> entry(String k, String v) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(k, v);
    }
}
