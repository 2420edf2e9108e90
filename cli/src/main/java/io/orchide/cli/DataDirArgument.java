package io.orchide.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The arguments of the node's small commands that take a data directory and nothing else ({@code node token},
 * {@code node init}): {@code --data-dir DIR} (or {@code --data-dir=DIR}), or {@code -h}/{@code --help}.
 *
 * @param dataDir the directory; null when the command is over already (help printed, or an error)
 * @param exit    the command's exit status when it is over: 0 after help, 2 after an error
 */
record DataDirArgument(Path dataDir, int exit) {
    static DataDirArgument parse(List<String> args, String usage, PrintStream out, PrintStream err) {
        Path dataDir = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                out.print(usage);
                return new DataDirArgument(null, 0);
            }
            if (a.startsWith("--data-dir=")) {
                dataDir = Path.of(a.substring("--data-dir=".length()));
            } else if (a.equals("--data-dir") && i + 1 < args.size()) {
                dataDir = Path.of(args.get(++i));
            } else {
                err.println("error: " + (a.equals("--data-dir") ? "--data-dir: missing value" : "unknown option " + a)
                        + "\n" + usage);
                return new DataDirArgument(null, 2);
            }
        }
        if (dataDir == null) {
            err.println("error: --data-dir is required\n" + usage);
            return new DataDirArgument(null, 2);
        }
        return new DataDirArgument(dataDir, 0);
    }
}
