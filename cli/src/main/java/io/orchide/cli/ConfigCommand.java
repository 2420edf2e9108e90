package io.orchide.cli;

import io.orchide.client.config.ClientConfig;
import io.orchide.client.config.ConfigException;
import io.orchide.client.config.ConfigFile;
import io.orchide.client.config.ConfigValues;
import io.orchide.client.config.Context;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.function.Function;

/**
 * {@code orchide config}: the named contexts of the client's configuration file ({@code $ORCHIDE_CONFIG} or
 * {@code ~/.config/orchide/config}), each a server with a token, a default tenant and a default satellite, and which
 * one is current. No subcommand ever prints a token.
 */
@Command(name = "config", description = "Contexts (server, token, default tenant and satellite) in $ORCHIDE_CONFIG or "
        + "~/.config/orchide/config: set-context, use-context, get-contexts, current-context.",
        subcommands = {ConfigCommand.SetContext.class, ConfigCommand.UseContext.class, ConfigCommand.GetContexts.class,
                ConfigCommand.CurrentContext.class})
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("config: an action is needed: set-context NAME, use-context NAME, get-contexts or "
                + "current-context");
    }

    static ConfigFile file() {
        return ConfigFile.of(Environment::get);
    }

    static ClientConfig read(ConfigFile file) {
        try {
            return file.read();
        } catch (ConfigException e) {
            throw new CliException(e.getMessage() + " (nothing was changed; fix or remove the file)");
        }
    }

    static void write(ConfigFile file, ClientConfig config) {
        try {
            file.write(config);
        } catch (ConfigException e) {
            throw new CliException(e.getMessage());
        }
    }

    @Command(name = "set-context", description = "Make a context, or change the fields given of an existing one.")
    static final class SetContext implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The context's name")
        String name;

        @Option(names = "--server", paramLabel = "URL", description = "The server, http://HOST:PORT")
        String server;

        @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token sent to that server")
        String token;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Default tenant")
        String tenant;

        @Option(names = "--satellite", paramLabel = "NAME", description = "Default satellite (verbs go through ground)")
        String satellite;

        @Override
        public void run() {
            check("NAME", name, ConfigValues::name);
            check("--server", server, ConfigValues::server);
            check("--token", token, ConfigValues::token);
            check("--tenant", tenant, ConfigValues::name);
            check("--satellite", satellite, ConfigValues::name);
            ConfigFile file = file();
            ClientConfig config = read(file);
            boolean made = config.context(name).isEmpty();
            config = config.withContext(new Context(name, server == null ? null : ConfigValues.normalizedServer(server),
                    token, tenant, satellite));
            write(file, config);
            System.out.println("context " + name + (made ? " made" : " changed") + " in " + file.path()
                    + (config.currentContext() == null ? "; use it with `orchide config use-context " + name + "`" : ""));
        }

        private static void check(String flag, String value, Function<String, String> rule) {
            if (value == null) return;
            String problem = rule.apply(value);
            if (problem != null) throw new CliException("config set-context: " + flag + ": " + problem + " (nothing was changed)");
        }
    }

    @Command(name = "use-context", description = "Make NAME the current context.")
    static final class UseContext implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public void run() {
            ConfigFile file = file();
            ClientConfig config = read(file);
            try {
                config = config.using(name);
            } catch (IllegalArgumentException e) {
                throw new CliException("config use-context: " + e.getMessage());
            }
            write(file, config);
            System.out.println("switched to context " + name);
        }
    }

    @Command(name = "get-contexts", description = "List the contexts; the current one is marked with *.")
    static final class GetContexts implements Runnable {
        @Override
        public void run() {
            ClientConfig config = read(file());
            Table t = new Table("CURRENT", "NAME", "SERVER", "TENANT", "SATELLITE", "TOKEN");
            for (Context c : config.contexts()) {
                t.row(c.name().equals(config.currentContext()) ? "*" : "", c.name(), c.server(), c.tenant(),
                        c.satellite(), c.token() == null ? "-" : "set");
            }
            t.print(System.out);
        }
    }

    @Command(name = "current-context", description = "Print the current context's name.")
    static final class CurrentContext implements Runnable {
        @Override
        public void run() {
            ConfigFile file = file();
            String current = read(file).currentContext();
            if (current == null) {
                throw new CliException("no current context in " + file.path()
                        + ": choose one with `orchide config use-context NAME`");
            }
            System.out.println(current);
        }
    }
}
