package io.orchide.cli;

import picocli.CommandLine.Option;

/** {@code --server}: which API a client verb talks to; defaults to $ORCHIDE_SERVER. */
final class ServerOption {
    @Option(names = "--server", description = "API address (default: $ORCHIDE_SERVER or " + ApiClient.DEFAULT_SERVER + ")")
    String server;

    ApiClient client() {
        return new ApiClient(server != null ? server : System.getenv("ORCHIDE_SERVER"));
    }
}
