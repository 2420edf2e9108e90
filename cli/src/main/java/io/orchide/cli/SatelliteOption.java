package io.orchide.cli;

import picocli.CommandLine.Option;

/**
 * {@code --satellite NAME}: the verb goes to ground (ORCHIDE_SERVER or --server pointing at {@code orchide ground})
 * for that satellite: desired state is delivered at its next contact, and what is listed is its last-known state.
 */
final class SatelliteOption {
    @Option(names = "--satellite", paramLabel = "NAME",
            description = "Through ground, for this satellite (desired state delivered at the next contact)")
    String satellite;

    boolean present() { return satellite != null; }

    /** {@code /api/v1/satellites/NAME}, the satellite's part of ground's API. */
    String base() {
        return "/api/v1/satellites/" + Resources.name(satellite);
    }
}
