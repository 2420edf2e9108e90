package io.orchide.cli;

import io.orchide.client.config.ConfigException;
import io.orchide.client.config.ConfigFile;
import io.orchide.client.config.Target;
import picocli.CommandLine.Option;

/**
 * {@code --server} and {@code --token}: which API a client verb talks to and as whom. Each comes from the flag, else
 * the environment ({@code ORCHIDE_SERVER}, {@code ORCHIDE_TOKEN}), else the current context of the configuration file
 * ({@code orchide config}), else the default server and no token.
 */
final class ServerOption {
    @Option(names = "--server", description = "API address (default: $ORCHIDE_SERVER, the current context's, or "
            + ApiClient.DEFAULT_SERVER + ")")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token sent with every request (default: $ORCHIDE_TOKEN or the current context's)")
    String token;

    private Target target;

    /** Where and as whom this verb talks, resolved once. */
    Target target() {
        if (target == null) {
            ConfigFile file = ConfigFile.of(Environment::get);
            try {
                target = Target.resolve(new Target(server, token, null, null), Environment::get, file.read());
            } catch (ConfigException e) {
                throw new CliException(e.getMessage() + " (fix or remove the file; `orchide config` writes it)");
            }
        }
        return target;
    }

    /**
     * The tenant a verb means: {@code flag} when given, else the current context's default tenant (null: none, and
     * ground takes the caller's only tenant, if it has one).
     */
    String tenant(String flag) {
        return flag != null ? flag : target().tenant();
    }

    ApiClient client() {
        Target t = target();
        return new ApiClient(t.server(), t.token());
    }
}
