package io.orchide.testkit;

import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The device broker's socket protocol as a workload speaks it: a python3 program connects to the Unix socket that
 * {@code $ORCHIDE_BROKER} names, writes one JSON request a line and reads one answer a line. A test runs it against a
 * broker's socket ({@link #ask}), or hands it to a process or container workload as its program
 * ({@link #workloadArg}).
 */
public final class BrokerClient {
    /** One request per argument, each given its position as id; the answers on stdout, one a line. */
    private static final String REQUESTS = """
            import json, os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(os.environ["ORCHIDE_BROKER"])
            f = s.makefile("rw")
            for i, req in enumerate(sys.argv[1:]):
                r = json.loads(req); r["id"] = i
                f.write(json.dumps(r) + "\\n"); f.flush()
                print(f.readline().strip())
            """;

    /** Prints "broker: none" without the variable, else "broker: PATH ANSWER" for the one request %s. */
    private static final String ONE_REQUEST = """
            import os, socket
            path = os.environ.get("ORCHIDE_BROKER")
            if path is None:
                print("broker: none")
            else:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                f = s.makefile("rw")
                f.write(%s + "\\n"); f.flush()
                print("broker: " + path + " " + f.readline().strip())
            """;

    private BrokerClient() {
    }

    /**
     * Runs the client against the broker listening on socket, one request (a JSON object) per argument; returns the
     * answers in order. Fails when the client does not exit 0, which it does when the broker closes on it.
     */
    public static List<String> ask(Path socket, String... requests) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", REQUESTS));
        cmd.addAll(List.of(requests));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("ORCHIDE_BROKER", socket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the broker client did not exit within 60 s; it printed:\n" + out);
        }
        if (p.exitValue() != 0) throw new AssertionError("the broker client exited " + p.exitValue() + "; it printed:\n" + out);
        return out.lines().toList();
    }

    /**
     * The python3 program of a workload that asks the broker once (request: a JSON object, with its id) and prints
     * {@code broker: none} when it has no {@code $ORCHIDE_BROKER}, else {@code broker: PATH ANSWER}.
     */
    public static String workloadProgram(String request) {
        // a JSON string literal is a Python one too
        return ONE_REQUEST.formatted(TextNode.valueOf(request).toString());
    }
}
