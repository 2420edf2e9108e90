package io.orchide.cli;

import io.orchide.link.secure.KeyFiles;
import io.orchide.node.layout.NodeLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/**
 * {@code orchide node init --data-dir DIR}: makes the node's Ed25519 key pair for the link, on the node: the private
 * key ({@code DIR/node.key}, mode 0600, never sent anywhere) and the public key ({@code DIR/node.pub}) an operator
 * registers on ground. Refuses to replace a key: the registered one would stop working.
 */
final class NodeInitCommand {
    static final String USAGE = """
            Usage: orchide node init --data-dir DIR
            Make the node's key pair for the link: DIR/node.key (private, mode 0600, never leaves the node) and
            DIR/node.pub (public: have an operator register it on ground with
            orchide create satellite NAME --node-key DIR/node.pub). An existing key is never replaced.
                  --data-dir DIR   the node's data directory (required)
              -h, --help           this text
            """;

    private NodeInitCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        DataDirArgument parsed = DataDirArgument.parse(args, USAGE, out, err);
        if (parsed.dataDir() == null) return parsed.exit();
        Path dataDir = parsed.dataDir();
        NodeLayout layout = NodeLayout.of(dataDir);
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
}
