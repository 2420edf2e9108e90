package io.orchide.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;

/** The {@code orchide} entry point: roles ({@code node}, {@code ground}) and client verbs. */
@Command(name = "orchide", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Orchestrates unikernels and containers on board satellites.",
                "Resources: workloads (wl), pipelines (pl), runs, products; on ground: satellites (sat).",
                "With --satellite NAME the client verbs go through ground (ORCHIDE_SERVER pointing at orchide ground)."},
        subcommands = {NodeCommand.class, DoctorCommand.class, ApplyCommand.class, GetCommand.class,
                DescribeCommand.class, LogsCommand.class, LifecycleCommand.Start.class, LifecycleCommand.Stop.class,
                LifecycleCommand.Restart.class, DeleteCommand.class, WaitCommand.class, RunCommand.class,
                CancelCommand.class, EventCommand.class, GroundCommand.class, ImageCommand.class,
                ProductsCommand.class, DemoCommand.class, TwinCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final String VERSION = "0.1.0";

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("node")) { // the agent: no command-line library in its footprint
            System.exit(NodeCommand.run(java.util.Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliException ce) {
                err.println("error: " + ce.getMessage());
                for (String d : ce.details()) err.println("  " + d);
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version printed by {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() { return new String[]{"orchide " + VERSION}; }
    }
}
