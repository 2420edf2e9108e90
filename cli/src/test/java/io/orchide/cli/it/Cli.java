package io.orchide.cli.it;

import io.orchide.cli.TestAccess;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs client verbs exactly as typed, against an agent, capturing what they print. */
final class Cli {
    /** What a verb printed and its exit status. */
    record Result(int status, String out, String err) {
    }

    private final String server;
    private final String token;

    Cli(String server) { this(server, null); }

    /** @param token given as {@code --token} to every verb; null for none */
    Cli(String server, String token) {
        this.server = server;
        this.token = token;
    }

    synchronized Result run(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.add("--server");
        full.add(server);
        if (token != null) {
            full.add("--token");
            full.add(token);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int rc = TestAccess.run(full.toArray(String[]::new), o, e);
            return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Runs a verb that must succeed and returns its standard output. */
    String ok(String... args) {
        Result r = run(args);
        if (r.status() != 0) {
            throw new AssertionError("orchide " + String.join(" ", args) + " failed (" + r.status() + "): " + r.err() + r.out());
        }
        return r.out();
    }
}
