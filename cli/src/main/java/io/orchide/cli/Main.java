package io.orchide.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The {@code orchide} entry point: roles ({@code node}, {@code ground}) and client verbs. */
@Command(name = "orchide", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Orchestrates unikernels and containers on board satellites.",
                "Resources: workloads (wl), pipelines (pl), runs, products; on ground: satellites (sat).",
                "With --satellite NAME the client verbs go through ground (ORCHIDE_SERVER pointing at orchide ground)."})
public final class Main implements Runnable {
    static final String VERSION = "0.1.0";

    /**
     * Every verb, in the order help lists them. A command line registers only the verb it runs: picocli reads a
     * command's annotations by reflection when it is registered, and reading all twenty cost every verb start-up.
     */
    private static final Map<String, Supplier<Object>> VERBS = verbs();

    private static Map<String, Supplier<Object>> verbs() {
        Map<String, Supplier<Object>> v = new LinkedHashMap<>();
        v.put("node", NodeCommand::new);
        v.put("doctor", DoctorCommand::new);
        v.put("apply", ApplyCommand::new);
        v.put("get", GetCommand::new);
        v.put("describe", DescribeCommand::new);
        v.put("logs", LogsCommand::new);
        v.put("start", LifecycleCommand.Start::new);
        v.put("stop", LifecycleCommand.Stop::new);
        v.put("restart", LifecycleCommand.Restart::new);
        v.put("delete", DeleteCommand::new);
        v.put("wait", WaitCommand::new);
        v.put("run", RunCommand::new);
        v.put("cancel", CancelCommand::new);
        v.put("event", EventCommand::new);
        v.put("ground", GroundCommand::new);
        v.put("image", ImageCommand::new);
        v.put("keys", KeysCommand::new);
        v.put("products", ProductsCommand::new);
        v.put("dataset", DatasetCommand::new);
        v.put("config", ConfigCommand::new);
        v.put("login", LoginCommand::new);
        v.put("create", CreateCommand::new);
        v.put("set", SetCommand::new);
        v.put("auth", AuthCommand::new);
        v.put("demo", DemoCommand::new);
        v.put("twin", TwinCommand::new);
        return v;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("node")) { // the agent: no command-line library in its footprint
            System.exit(NodeCommand.run(java.util.Arrays.asList(args).subList(1, args.length), System.out, System.err));
        }
        if (args.length == 1 && args[0].equals("--aot-training")) { // the launcher's, for the client's class cache
            try {
                System.exit(AotTraining.run());
            } catch (java.io.IOException e) {
                System.err.println("error: class cache training: " + e.getMessage());
                System.exit(1);
            }
        }
        System.exit(run(args, System.out, System.err));
    }

    /** The client verbs: short-lived, so their start-up is most of what a user waits for (see {@link QuickArgs}). */
    private static final java.util.Set<String> QUICK = java.util.Set.of("apply", "get", "describe", "logs", "start",
            "stop", "restart", "delete", "wait", "run", "cancel", "event", "products", "doctor");

    /** Runs one command line; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Supplier<Object> verb = args.length > 0 ? VERBS.get(args[0]) : null;
        if (verb != null && QUICK.contains(args[0])) {
            Object command = verb.get();
            try {
                QuickArgs.bind(command, args[0], java.util.Arrays.asList(args).subList(1, args.length));
            } catch (QuickArgs.Unsupported e) {
                command = null; // picocli parses it anew, and says what is wrong where something is
            }
            if (command != null) return execute(command, err);
        }
        CommandLine cl = verb == null ? full() : new CommandLine(new Main()).addSubcommand(args[0], verb.get());
        withHelpOption(cl);
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

    /** Runs a bound command as picocli would: its exit status, a {@link CliException} printed as an error. */
    private static int execute(Object command, PrintStream err) {
        try {
            if (command instanceof java.util.concurrent.Callable<?> c) {
                return c.call() instanceof Integer status ? status : 0;
            }
            ((Runnable) command).run();
            return 0;
        } catch (CliException ce) {
            err.println("error: " + ce.getMessage());
            for (String d : ce.details()) err.println("  " + d);
            return 1;
        } catch (Exception e) {
            e.printStackTrace(err);
            return 1;
        }
    }

    /** Gives every verb and sub-verb {@code -h/--help}, as {@code orchide} itself has, unless it has its own. */
    static void withHelpOption(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.optionsMap().get("--help") == null && spec.optionsMap().get("-h") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        cl.getSubcommands().values().forEach(Main::withHelpOption);
    }

    /** Every verb and {@code help}: for the usage, {@code help VERB} and a verb that is not one. */
    static CommandLine full() {
        CommandLine cl = new CommandLine(new Main());
        VERBS.forEach((name, s) -> cl.addSubcommand(name, s.get()));
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        return cl;
    }

    @Override
    public void run() {
        full().usage(System.out);
    }

    /** The version printed by {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() { return new String[]{"orchide " + VERSION}; }
    }
}
