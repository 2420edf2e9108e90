package io.orchide.cli;

import io.orchide.node.NodeAgent;
import io.orchide.node.NodeConfig;
import io.orchide.node.layout.NodeLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code orchide node}: runs the on-board agent until it is signalled; {@code orchide node token} prints its API
 * token ({@link NodeTokenCommand}). {@link Main} routes {@code node} here
 * before any command-line library is loaded; the picocli entry only lists it in the top-level help.
 */
@Command(name = "node", description = "Run the on-board agent of a payload computer (orchide node --help); "
        + "orchide node init --data-dir DIR makes its key pair for the link; "
        + "orchide node token --data-dir DIR prints its API token.")
final class NodeCommand implements Runnable {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public void run() {
        System.exit(run(args, System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.getFirst().equals("token")) return NodeTokenCommand.run(args.subList(1, args.size()), out, err);
        if (!args.isEmpty() && args.getFirst().equals("init")) return NodeInitCommand.run(args.subList(1, args.size()), out, err);
        NodeOptions o;
        try {
            o = NodeOptions.parse(args);
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (o.help) {
            out.print(NodeOptions.USAGE);
            return 0;
        }
        try {
            NodeConfig cfg = o.config();
            NodeAgent agent = NodeAgent.start(cfg);
            // on SIGTERM/SIGINT the agent closes inside the hook: the JVM halts once hooks end, so closing on
            // another thread could be cut short; workloads keep running under their shims either way
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    agent.close();
                } catch (Exception e) {
                    err.println("error: closing the agent: " + e.getMessage());
                }
            }, "agent-shutdown"));
            out.println("orchide node " + NodeAgent.VERSION + " listening on "
                    + OptionValues.listening(agent.address()) + " (data " + cfg.dataDir()
                    + (cfg.ground() == null ? "" : ", satellite " + cfg.ground().satellite() + ", ground "
                    + cfg.ground().address() + "; the one in use: GET /api/v1/link") + ")");
            out.println("every API call needs the node's token (" + NodeLayout.of(cfg.dataDir()).token()
                    + "): export ORCHIDE_TOKEN=$(orchide node token --data-dir " + cfg.dataDir() + ")");
            if (!agent.address().getAddress().isLoopbackAddress()) {
                out.println("warning: the API listens on " + OptionValues.listening(agent.address()) + ", beyond this "
                        + "machine, as --listen asks: whoever reaches it there and holds the token may use it, over "
                        + "plain HTTP");
            }
            out.flush();
            new CountDownLatch(1).await(); // serve until the process is signalled
            return 0;
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) why.append(": ").append(c);
            err.println("error: node failed: " + why); // with its causes: the log is all a user has of a failed boot
            return 1;
        }
    }
}
