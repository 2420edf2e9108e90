package io.orchide.cli;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import io.orchide.node.layout.NodeLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code orchide node init --data-dir DIR [--root FILE]}: makes the node's Ed25519 key pair for the link, on the node:
 * the private key ({@code DIR/node.key}, mode 0600, never sent anywhere) and the public key ({@code DIR/node.pub}) an
 * operator registers on ground. Refuses to replace a key: the registered one would stop working. With {@code --root},
 * pins the operator's root metadata ({@code DIR/root.json}): from then on the node boots only signed images; a root
 * pinned already is never replaced by another (a newer one comes signed, with the desired state).
 */
final class NodeInitCommand {
    static final String USAGE = """
            Usage: orchide node init --data-dir DIR [--root FILE]
            Make the node's key pair for the link: DIR/node.key (private, mode 0600, never leaves the node) and
            DIR/node.pub (public: have an operator register it on ground with
            orchide create satellite NAME --node-key DIR/node.pub). An existing key is never replaced.
                  --data-dir DIR   the node's data directory (required)
                  --root FILE      pin the operator's root metadata (orchide keys init-root makes root.json): the
                                   node then boots only images signed by a key that root delegated to their tenant
              -h, --help           this text
            """;

    private NodeInitCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        Path root = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--root=")) root = Path.of(a.substring("--root=".length()));
            else if (a.equals("--root") && i + 1 < args.size()) root = Path.of(args.get(++i));
            else rest.add(a);
        }
        DataDirArgument parsed = DataDirArgument.parse(rest, USAGE, out, err);
        if (parsed.dataDir() == null) return parsed.exit();
        Path dataDir = parsed.dataDir();
        NodeLayout layout = NodeLayout.of(dataDir);
        if (root != null && !pin(root, layout, err)) return 1;
        if (root != null && Files.exists(layout.nodeKey())) {
            out.println(layout.nodePublicKey()); // the key was made before; pinning the root was all that was asked
            return 0;
        }
        try {
            KeyPair kp = KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
            out.println(layout.nodePublicKey());
            err.println("node key made: " + KeyFiles.fingerprint(kp.getPublic()) + " (private key " + layout.nodeKey()
                    + ", mode 0600). Register the public key on ground: orchide create satellite NAME --node-key "
                    + layout.nodePublicKey());
            return 0;
        } catch (FileAlreadyExistsException e) {
            err.println("error: " + e.getFile() + ": the node has a key already; it is not replaced (a registered key "
                    + "would stop working). Its public key: " + layout.nodePublicKey());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot write the node's key in " + layout.root() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Copies a root that verifies (its own threshold) into the data directory, unless another is pinned there. */
    private static boolean pin(Path file, NodeLayout layout, PrintStream err) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            RootMetadata r = RootMetadata.pinned(SignedDocument.parse(text, file.toString()));
            Path target = layout.trustRoot();
            if (Files.exists(target)) {
                if (Files.readString(target, StandardCharsets.UTF_8).equals(text)) return true;
                err.println("error: --root: " + target + " holds another root already; it is not replaced (a newer root "
                        + "reaches the node signed by the current one, through ground)");
                return false;
            }
            Files.createDirectories(layout.root());
            Path tmp = Files.createTempFile(layout.root(), ".root", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            err.println("root of trust pinned: version " + r.version() + ", " + r.threshold() + " of " + r.keys().size()
                    + " keys (" + target + "); the node boots only signed images");
            return true;
        } catch (IOException e) {
            err.println("error: --root: cannot read or pin " + file + ": " + e.getMessage());
            return false;
        } catch (TrustException e) {
            err.println("error: --root: " + e.getMessage());
            return false;
        }
    }
}
