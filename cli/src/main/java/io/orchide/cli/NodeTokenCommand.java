package io.orchide.cli;

import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code orchide node token --data-dir DIR}: prints the token of the node's local API, made by the node at its
 * first start, for {@code export ORCHIDE_TOKEN=$(orchide node token --data-dir DIR)} or a context. Run on the node,
 * as the user the node runs as: the file is readable by that user only.
 */
final class NodeTokenCommand {
    static final String USAGE = """
            Usage: orchide node token --data-dir DIR
            Print the token every call of the node's local API needs (kept in DIR/node.token, made at the node's
            first start), e.g. export ORCHIDE_TOKEN=$(orchide node token --data-dir DIR).
                  --data-dir DIR   the node's data directory (required)
              -h, --help           this text
            """;

    private NodeTokenCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path dataDir = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                out.print(USAGE);
                return 0;
            }
            if (a.startsWith("--data-dir=")) {
                dataDir = Path.of(a.substring("--data-dir=".length()));
            } else if (a.equals("--data-dir") && i + 1 < args.size()) {
                dataDir = Path.of(args.get(++i));
            } else {
                err.println("error: " + (a.equals("--data-dir") ? "--data-dir: missing value" : "unknown option " + a)
                        + "\n" + USAGE);
                return 2;
            }
        }
        if (dataDir == null) {
            err.println("error: --data-dir is required\n" + USAGE);
            return 2;
        }
        try {
            out.println(NodeToken.read(NodeLayout.of(dataDir).token()).value());
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
