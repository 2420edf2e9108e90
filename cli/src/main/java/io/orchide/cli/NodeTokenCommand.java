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
        DataDirArgument parsed = DataDirArgument.parse(args, USAGE, out, err);
        if (parsed.dataDir() == null) return parsed.exit();
        Path dataDir = parsed.dataDir();
        try {
            out.println(NodeToken.read(NodeLayout.of(dataDir).token()).value());
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
