package io.orchide.cli;

import io.orchide.client.config.ClientConfig;
import io.orchide.client.config.ConfigFile;
import io.orchide.client.config.ConfigValues;
import io.orchide.client.config.Context;
import io.orchide.client.oidc.DeviceAuthorization;
import io.orchide.client.oidc.DeviceFlow;
import io.orchide.client.oidc.DeviceFlowException;
import io.orchide.client.oidc.DeviceTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Clock;

/**
 * {@code orchide login}: puts a bearer token in a context of the client's configuration file (the current one unless
 * {@code --context} names another): a token given as it is ({@code --token}), or one from an OpenID Connect issuer's
 * device login ({@code --oidc-issuer}, {@code --client-id}), stored with that issuer. The token is never printed.
 * Everything is checked before the file is written; a login that fails changes nothing.
 */
@Command(name = "login", description = {"Store a bearer token in the current context: one given with --token, or one "
        + "from an OpenID Connect issuer's device login (--oidc-issuer URL --client-id ID): open the address shown, "
        + "enter the code, and the token is stored once you approve."})
final class LoginCommand implements Runnable {
    @Option(names = "--token", paramLabel = "TOKEN", description = "A token to store as it is (an API token ground made)")
    String token;

    @Option(names = "--oidc-issuer", paramLabel = "URL", description = "The OpenID Connect issuer to log in at, "
            + "exactly as its tokens name it (e.g. https://login.example.com/realms/ops)")
    String issuer;

    @Option(names = "--client-id", paramLabel = "ID", description = "This CLI's client id at the issuer (with --oidc-issuer)")
    String clientId;

    @Option(names = "--scope", paramLabel = "SCOPES", defaultValue = "openid",
            description = "Scopes asked of the issuer, space-separated (default: ${DEFAULT-VALUE})")
    String scope;

    @Option(names = "--context", paramLabel = "NAME", description = "The context to store the token in (default: the current one)")
    String contextName;

    @Override
    public void run() {
        if ((token == null) == (issuer == null)) {
            throw new CliException("login: give either --token TOKEN or --oidc-issuer URL --client-id ID (nothing was changed)");
        }
        if (token != null && clientId != null) throw new CliException("login: --client-id goes with --oidc-issuer, not with --token");
        if (token != null) check("--token", ConfigValues.token(token));
        if (issuer != null) {
            check("--oidc-issuer", ConfigValues.issuer(issuer));
            if (clientId == null || clientId.isBlank()) {
                throw new CliException("login: --oidc-issuer needs --client-id ID, this CLI's client id at " + issuer
                        + " (nothing was changed)");
            }
        }
        ConfigFile file = ConfigCommand.file();
        Context context = target(file, ConfigCommand.read(file));
        PrintStream out = System.out;
        String stored;
        String from;
        if (token != null) {
            stored = token;
            from = null;
        } else {
            stored = deviceLogin(out);
            from = issuer;
        }
        // read again: a device login takes minutes, in which another command may have changed the file
        ClientConfig now = ConfigCommand.read(file);
        if (now.context(context.name()).isEmpty()) {
            throw new CliException("login: the context " + context.name() + " was removed from " + file.path()
                    + " during the login; the token was not stored");
        }
        ConfigCommand.write(file, now.withContext(new Context(context.name(), null, stored, null, null, from)));
        out.println("token " + (from == null ? "" : "from " + from + " ") + "stored in context " + context.name()
                + (context.server() == null ? " (it has no server yet: `orchide config set-context " + context.name()
                + " --server URL`)" : " for " + context.server()));
    }

    private Context target(ConfigFile file, ClientConfig config) {
        if (contextName != null) {
            check("--context", ConfigValues.name(contextName));
            return config.context(contextName).orElseThrow(() -> new CliException("login: no context named "
                    + contextName + " in " + file.path() + "; make it with `orchide config set-context " + contextName
                    + " --server URL`"));
        }
        return config.current().orElseThrow(() -> new CliException("login: no current context in " + file.path()
                + ": make one with `orchide config set-context NAME --server URL` and `orchide config use-context NAME`"
                + ", or name one with --context"));
    }

    private String deviceLogin(PrintStream out) {
        DeviceFlow flow = new DeviceFlow(issuer, clientId, Clock.systemUTC(), DeviceFlow.Sleeper.REAL);
        try {
            DeviceAuthorization a = flow.authorize(scope);
            if (a.verificationUriComplete() != null) out.println("To log in, open " + a.verificationUriComplete());
            out.println((a.verificationUriComplete() != null ? "or go to " : "To log in, go to ") + a.verificationUri()
                    + " and enter the code " + a.userCode());
            out.println("waiting for the approval (the code expires at " + a.expires() + ")...");
            out.flush();
            DeviceTokens tokens = flow.await(a);
            String bearer = tokens.bearer();
            String problem = ConfigValues.token(bearer);
            if (problem != null) throw new CliException("login: the token " + issuer + " gave " + problem + " (nothing was changed)");
            return bearer;
        } catch (DeviceFlowException e) {
            throw new CliException("login: " + e.getMessage() + " (nothing was changed)");
        }
    }

    private static void check(String flag, String problem) {
        if (problem != null) throw new CliException("login: " + flag + ": " + problem + " (nothing was changed)");
    }
}
