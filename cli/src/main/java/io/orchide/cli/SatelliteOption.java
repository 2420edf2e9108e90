package io.orchide.cli;

import picocli.CommandLine.Option;

/**
 * {@code --satellite NAME}: the verb goes to ground (ORCHIDE_SERVER or --server pointing at {@code orchide ground})
 * for that satellite: desired state is delivered at its next contact, and what is listed is its last-known state.
 * When not given, the current context's default satellite is used (see {@link #defaultFrom}).
 */
final class SatelliteOption {
    @Option(names = "--satellite", paramLabel = "NAME",
            description = "Through ground, for this satellite (desired state delivered at the next contact)")
    String satellite;

    boolean present() { return satellite != null; }

    /** Takes the current context's satellite when none is given and the verb talks to that context's server. */
    void defaultFrom(ServerOption server) {
        if (satellite == null) satellite = server.target().satellite();
    }

    /** {@code /api/v1/satellites/NAME}, the satellite's part of ground's API. */
    String base() {
        return "/api/v1/satellites/" + Resources.name(satellite);
    }
}
