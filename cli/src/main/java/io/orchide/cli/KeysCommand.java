package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code orchide keys}: the operator's chain of trust, made and signed on the operator's machine (the root's private
 * keys never go to ground): {@code init-root} (n root keys and the root metadata signed by them), {@code gen} (a
 * tenant's image-signing key pair), {@code delegate} and {@code revoke} (a tenant's delegation, or with
 * {@code --director} the root's director keys: which ground keys sign desired state; signed by a threshold of root
 * keys), {@code rotate-root} (new root keys, signed by the old threshold and the new) and {@code push} (gives
 * ground a root or a delegation; platform admins only).
 */
@Command(name = "keys", description = "The chain of trust: keys init-root, keys gen, keys delegate, keys revoke, "
        + "keys rotate-root, keys push FILE.",
        subcommands = {KeysCommand.InitRoot.class, KeysCommand.Gen.class, KeysCommand.Delegate.class,
                KeysCommand.Revoke.class, KeysCommand.RotateRoot.class, KeysCommand.Push.class})
final class KeysCommand implements Runnable {
    static final String ROOT_FILE = "root.json";

    @Override
    public void run() {
        throw new CliException("keys: an action is needed: init-root, gen, delegate, revoke, rotate-root or push FILE");
    }

    @Command(name = "init-root", description = "Make the root of trust: --count Ed25519 key pairs (DIR/key1.key, "
            + "DIR/key1.pub, ...) and DIR/root.json (version 1) signed by all of them; --threshold of them sign "
            + "every delegation and rotation. Keep the private keys offline, apart.")
    static final class InitRoot implements Runnable {
        @Option(names = "--threshold", defaultValue = "2", description = "Signatures needed (default 2)")
        int threshold;

        @Option(names = "--count", defaultValue = "3", description = "Root keys to make (default 3)")
        int count;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty directory")
        Path out;

        @Override
        public void run() {
            checkCounts(threshold, count);
            requireEmpty(out, "--out");
            List<KeyPair> keys = makeKeys(out, count);
            SignedDocument root = RootMetadata.of(1, threshold, keys.stream().map(KeyPair::getPublic).toList()).unsigned();
            for (KeyPair k : keys) root = root.sign(k.getPrivate(), k.getPublic());
            Path file = out.resolve(ROOT_FILE);
            write(file, root);
            System.out.println(file);
            System.err.println("root of trust made: " + count + " keys, " + threshold + " needed to sign. Pin " + file
                    + " on each node (orchide node init --data-dir DIR --root " + file + ") and give it to ground "
                    + "(orchide keys push " + file + ").");
        }
    }

    @Command(name = "gen", description = "Make a signing key pair: BASE.key (mode 0600) and BASE.pub.")
    static final class Gen implements Runnable {
        @Option(names = "--out", required = true, paramLabel = "BASE", description = "The key files' path without .key/.pub")
        Path out;

        @Override
        public void run() {
            KeyPair k = create(out);
            System.out.println(pub(out));
            System.err.println("key made: " + KeyFiles.fingerprint(k.getPublic()) + " (private key " + priv(out) + ")");
        }
    }

    @Command(name = "delegate", description = "Delegate image-signing keys to a tenant (--tenant), or name ground's "
            + "director keys (--director: the keys whose desired state nodes with this root apply): writes a document "
            + "signed by --root keys (a threshold of them). A newer version replaces the last one: pass every key kept.")
    static final class Delegate implements Runnable {
        @Option(names = "--tenant", description = "The tenant the keys sign for")
        String tenant;

        @Option(names = "--director", description = "Name director keys (ground's ground.pub) instead of a tenant's keys")
        boolean director;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "A public key (.pub) to delegate; repeatable")
        List<Path> keys;

        @Mixin
        Signing signing;

        @Override
        public void run() {
            requireOneSubject(tenant, director);
            List<PublicKey> pubs = new ArrayList<>();
            for (Path k : keys) pubs.add(readPublic(k, "--key"));
            if (director) signing.writeDirectors(pubs);
            else signing.write(tenant, pubs);
        }
    }

    static void requireOneSubject(String tenant, boolean director) {
        if (director && tenant != null)
            throw new CliException("--tenant " + tenant + ": not with --director (director keys belong to no tenant)");
        if (!director && tenant == null) throw new CliException("--tenant or --director is needed");
    }

    @Command(name = "revoke", description = "Revoke a tenant's image-signing key (--tenant) or a director key "
            + "(--director): a newer document without it, signed by --root keys. The last one is read from the output file.")
    static final class Revoke implements Runnable {
        @Option(names = "--tenant", description = "The tenant")
        String tenant;

        @Option(names = "--director", description = "Revoke a director key (ground's key) instead of a tenant's key")
        boolean director;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The public key (.pub) to revoke; repeatable")
        List<Path> keys;

        @Mixin
        Signing signing;

        @Override
        public void run() {
            requireOneSubject(tenant, director);
            if (director) {
                DirectorKeys last = signing.previousDirectors();
                if (last == null) throw new CliException("revoke: no director keys in " + signing.directorFile()
                        + " (-o names the file of the last director keys)");
                Map<String, PublicKey> kept = new LinkedHashMap<>(last.keys());
                for (Path k : keys) {
                    String id = KeyFiles.fingerprint(readPublic(k, "--key"));
                    if (kept.remove(id) == null) throw new CliException("--key: " + k + " (" + id + ") is not a director key");
                }
                if (kept.isEmpty())
                    throw new CliException("--key: revoking every director key would leave nodes with this root no ground "
                            + "to take desired state from; name the new key first (keys delegate --director --key OLD.pub "
                            + "--key NEW.pub ...), move ground to it, then revoke the old one");
                signing.writeDirectors(List.copyOf(kept.values()));
                return;
            }
            Delegation last = signing.previous(tenant);
            if (last == null) throw new CliException("revoke: no delegation to tenant " + tenant + " in " + signing.file(tenant)
                    + " (-o names the file of its last delegation)");
            Map<String, PublicKey> kept = new LinkedHashMap<>(last.keys());
            for (Path k : keys) {
                String id = KeyFiles.fingerprint(readPublic(k, "--key"));
                if (kept.remove(id) == null) throw new CliException("--key: " + k + " (" + id + ") is not delegated to tenant " + tenant);
            }
            signing.write(tenant, List.copyOf(kept.values()));
        }
    }

    /** The options of a delegation's signing: root keys, version and output file. */
    static final class Signing {
        @Option(names = "--root", required = true, paramLabel = "KEY",
                description = "A root private key (root/key1 or root/key1.key, its .pub beside it); repeatable, a threshold of them")
        List<Path> roots;

        @Option(names = "--version", description = "The delegation's version (default: one more than the output file's, else 1)")
        Long version;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write it (default TENANT.delegation.json, or director.json with --director)")
        Path output;

        Path file(String tenant) {
            return output != null ? output : Path.of(tenant + ".delegation.json");
        }

        Delegation previous(String tenant) {
            Path f = file(tenant);
            if (!Files.exists(f)) return null;
            try {
                Delegation d = Delegation.read(SignedDocument.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
                return d.tenant().equals(tenant) ? d : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (TrustException e) {
                throw new CliException("-o: " + e.getMessage());
            }
        }

        void write(String tenant, List<PublicKey> keys) {
            Delegation previous = previous(tenant);
            long v = version != null ? version : previous == null ? 1 : previous.version() + 1;
            if (v < 1) throw new CliException("--version: must be 1 or more (got " + v + ")");
            SignedDocument d = Delegation.of(tenant, v, keys).unsigned();
            for (Path r : roots) {
                KeyPair k = load(r, "--root");
                d = d.sign(k.getPrivate(), k.getPublic());
            }
            Path f = file(tenant);
            write(f, d);
            System.out.println(f);
            System.err.println("delegation to tenant " + tenant + " version " + v + ": " + keys.size() + " key(s), signed by "
                    + roots.size() + " root key(s). Give it to ground: orchide keys push " + f);
        }

        Path directorFile() {
            return output != null ? output : Path.of("director.json");
        }

        DirectorKeys previousDirectors() {
            Path f = directorFile();
            if (!Files.exists(f)) return null;
            try {
                return DirectorKeys.read(SignedDocument.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (TrustException e) {
                throw new CliException("-o: " + e.getMessage());
            }
        }

        void writeDirectors(List<PublicKey> keys) {
            DirectorKeys previous = previousDirectors();
            long v = version != null ? version : previous == null ? 1 : previous.version() + 1;
            if (v < 1) throw new CliException("--version: must be 1 or more (got " + v + ")");
            SignedDocument d = DirectorKeys.of(v, keys).unsigned();
            for (Path r : roots) {
                KeyPair k = load(r, "--root");
                d = d.sign(k.getPrivate(), k.getPublic());
            }
            Path f = directorFile();
            write(f, d);
            System.out.println(f);
            System.err.println("director keys version " + v + ": " + keys.size() + " key(s), signed by " + roots.size()
                    + " root key(s). Give it to ground: orchide keys push " + f + "; nodes with this root then take "
                    + "desired state only from these keys.");
        }

        private static void write(Path f, SignedDocument d) {
            KeysCommand.write(f, d);
        }
    }

    @Command(name = "rotate-root", description = "Replace the root keys: makes --count new key pairs in --out and the "
            + "next root version, signed by --sign keys of the current root (a threshold of them) and by all the new keys.")
    static final class RotateRoot implements Runnable {
        @Option(names = "--current", required = true, paramLabel = "FILE", description = "The current root.json")
        Path current;

        @Option(names = "--sign", required = true, paramLabel = "KEY", description = "A current root private key; repeatable")
        List<Path> sign;

        @Option(names = "--threshold", defaultValue = "2", description = "Signatures the new root needs (default 2)")
        int threshold;

        @Option(names = "--count", defaultValue = "3", description = "New root keys to make (default 3)")
        int count;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty directory for the new keys")
        Path out;

        @Override
        public void run() {
            checkCounts(threshold, count);
            RootMetadata old;
            try {
                old = RootMetadata.read(SignedDocument.parse(Files.readString(current, StandardCharsets.UTF_8), current.toString()));
            } catch (IOException e) {
                throw new CliException("--current: cannot read " + current + ": " + e.getMessage());
            } catch (TrustException e) {
                throw new CliException("--current: " + e.getMessage());
            }
            requireEmpty(out, "--out");
            List<KeyPair> keys = makeKeys(out, count);
            SignedDocument next = RootMetadata.of(old.version() + 1, threshold, keys.stream().map(KeyPair::getPublic).toList()).unsigned();
            for (Path s : sign) {
                KeyPair k = load(s, "--sign");
                next = next.sign(k.getPrivate(), k.getPublic());
            }
            for (KeyPair k : keys) next = next.sign(k.getPrivate(), k.getPublic());
            try {
                old.next(next);
            } catch (TrustException e) {
                forget(out, count); // keys of a root that will never be are no keys to keep
                throw new CliException("--sign: " + e.getMessage());
            }
            Path file = out.resolve(ROOT_FILE);
            write(file, next);
            System.out.println(file);
            System.err.println("root version " + (old.version() + 1) + " made. Give it to ground: orchide keys push " + file
                    + "; nodes take it with their next desired state.");
        }
    }

    @Command(name = "push", description = "Give ground root metadata, delegations or director keys (platform admins "
            + "only); ground checks each against the root it holds and sends them to the satellites with their desired "
            + "state. Director keys that leave out ground's own key are refused unless --allow-foreign-director.")
    static final class Push implements Runnable {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "root.json, delegation or director files, in order")
        List<Path> files;

        @Option(names = "--allow-foreign-director", description = "Let director keys leave out the key of the ground "
                + "they are pushed to: a planned hand-over to another ground key (nodes that take them refuse this "
                + "ground from their next contact on)")
        boolean allowForeignDirector;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ApiClient api = server.client();
            for (Path f : files) {
                String text;
                try {
                    text = Files.readString(f, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new CliException("push: cannot read " + f + ": " + e.getMessage());
                }
                JsonNode r = api.post("/api/v1/trust" + (allowForeignDirector ? "?allowForeignDirector=true" : ""), text);
                System.out.println(r.path("type").asText() + "/" + r.path("subject").asText() + " version "
                        + r.path("version").asText() + " " + r.path("result").asText());
                if (r.hasNonNull("handedOver"))
                    System.err.println("this ground's key " + r.path("handedOver").asText() + " is not a director key "
                            + "any more: nodes that take version " + r.path("version").asText() + " refuse it from their "
                            + "next contact on; move them to the new ground");
            }
        }
    }

    static void checkCounts(int threshold, int count) {
        if (count < 1 || count > 16) throw new CliException("--count: must be between 1 and 16 (got " + count + ")");
        if (threshold < 1 || threshold > count)
            throw new CliException("--threshold: must be between 1 and --count (" + count + ") (got " + threshold + ")");
    }

    private static void requireEmpty(Path dir, String option) {
        if (!Files.exists(dir)) return;
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) throw new CliException(option + ": must be a new or an empty directory (got " + dir + ")");
        } catch (IOException e) {
            throw new CliException(option + ": " + dir + " is not a directory");
        }
    }

    private static List<KeyPair> makeKeys(Path dir, int count) {
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 1; i <= count; i++) keys.add(create(dir.resolve("key" + i)));
        return keys;
    }

    private static void forget(Path dir, int count) {
        try {
            for (int i = 1; i <= count; i++) {
                Files.deleteIfExists(priv(dir.resolve("key" + i)));
                Files.deleteIfExists(pub(dir.resolve("key" + i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair create(Path base) {
        try {
            return KeyFiles.create(priv(base), pub(base));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new CliException(e.getFile() + ": a key is there already; it is not replaced");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code base} without a {@code .key} or {@code .pub} ending. */
    private static Path base(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".key") || n.endsWith(".pub") ? p.resolveSibling(n.substring(0, n.length() - 4)) : p;
    }

    static Path priv(Path base) {
        return base(base).resolveSibling(base(base).getFileName() + ".key");
    }

    static Path pub(Path base) {
        return base(base).resolveSibling(base(base).getFileName() + ".pub");
    }

    /** A private key and its public key beside it ({@code KEY.key}, {@code KEY.pub}), checked to be one pair. */
    static KeyPair load(Path key, String option) {
        try {
            return KeyFiles.load(priv(key), pub(key));
        } catch (IOException | RuntimeException e) {
            throw new CliException(option + ": " + key + ": " + e.getMessage());
        }
    }

    private static PublicKey readPublic(Path file, String option) {
        try {
            return KeyFiles.readPublic(file);
        } catch (IOException | RuntimeException e) {
            throw new CliException(option + ": " + file + ": " + e.getMessage());
        }
    }

    static void write(Path file, SignedDocument d) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, d.toJson() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
