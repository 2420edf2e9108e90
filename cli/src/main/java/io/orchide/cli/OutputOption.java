package io.orchide.cli;

import picocli.CommandLine.Option;

/** {@code -o json}: machine-readable output for scripts. */
final class OutputOption {
    @Option(names = {"-o", "--output"}, description = "Output format: table (default), wide or json")
    String format = "table";

    boolean json() {
        if (!format.equals("json") && !format.equals("table") && !format.equals("wide")) {
            throw new CliException("-o: unknown output format " + format + " (use table, wide or json)");
        }
        return format.equals("json");
    }

    boolean wide() { return format.equals("wide"); }
}
