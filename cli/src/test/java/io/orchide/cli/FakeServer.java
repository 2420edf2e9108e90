package io.orchide.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one stand-in server of the CLI's unit tests, a node's API ({@link #node()}) or ground's ({@link #ground()}):
 * answers {@code METHOD /path} (query left out) with canned replies, records every request, and runs CLI verbs
 * in-process against itself. The replies are the node's own views ({@code io.orchide.node.api.NodeApiSamples}) or,
 * for ground, checked against ground's OpenAPI document, so that they are answers the real servers give. A test class
 * holds it as {@code @RegisterExtension final FakeServer node = FakeServer.node();}: started for each test, stopped
 * after it.
 */
final class FakeServer implements AutoCloseable, AfterEachCallback {
    /** A request as the server saw it; {@code authorization} is its Authorization header, null when it had none. */
    record Request(String method, String path, String query, String body, String authorization) {
        @Override
        public String toString() { return method + " " + path + (query == null ? "" : "?" + query); }
    }

    /** What a verb printed and its exit status. */
    record Result(int status, String out, String err) {
    }

    private record Reply(int status, String contentType, String body) {
    }

    private final boolean ground;
    private final HttpServer server;
    private final Map<String, List<Reply>> replies = new HashMap<>();
    final List<Request> requests = new ArrayList<>();

    private FakeServer(boolean ground) {
        this.ground = ground;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** A node's API. */
    static FakeServer node() {
        return new FakeServer(false);
    }

    /** Ground's API: every JSON answer given to {@link #on} is checked against ground's OpenAPI document. */
    static FakeServer ground() {
        return new FakeServer(true);
    }

    /** Answers {@code METHOD PATH} with a JSON body; several replies for one key are given in turn, the last kept. */
    FakeServer on(String methodAndPath, int status, String json) {
        if (ground) {
            String[] mp = methodAndPath.split(" ", 2);
            GroundOpenApi.check(mp[0], mp[1], status, json);
        }
        return reply(methodAndPath, new Reply(status, "application/json", json));
    }

    /**
     * Answers {@code METHOD PATH} as a server that does not serve that path at all: the 404 its router gives (a node's
     * path asked of ground, a satellite's asked of a node).
     */
    FakeServer unknown(String methodAndPath) {
        String path = methodAndPath.split(" ", 2)[1];
        return reply(methodAndPath, new Reply(404, "application/json",
                "{\"code\":\"not_found\",\"message\":\"no such resource: " + path + "\"}"));
    }

    FakeServer onText(String methodAndPath, String text) {
        return reply(methodAndPath, new Reply(200, "text/plain", text));
    }

    private synchronized FakeServer reply(String methodAndPath, Reply r) {
        replies.computeIfAbsent(methodAndPath, k -> new ArrayList<>()).add(r);
        return this;
    }

    String url() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    synchronized Request only() {
        if (requests.size() != 1) throw new AssertionError("expected one request, got " + requests);
        return requests.getFirst();
    }

    /** Runs {@code orchide ARGS --server URL} in-process, capturing what it prints. */
    Result run(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.add("--server");
        full.add(url());
        return cli(full.toArray(String[]::new));
    }

    /**
     * Runs {@code orchide ARGS} in-process as they are (no server added), capturing what it prints, with an environment
     * of its own that names a configuration file that does not exist: neither the test JVM's ORCHIDE_* variables nor
     * the user's own configuration reach the verb.
     */
    static Result cli(String... args) {
        return cli(Map.of(ConfigFileEnv.NAME, ConfigFileEnv.NONE), args);
    }

    /** Runs {@code orchide ARGS} in-process with {@code env} as its whole environment. */
    static Result cli(Map<String, String> env, String... args) {
        return Environment.with(env, () -> inProcess(args));
    }

    /** The environment variable naming the configuration file, and a file that never exists. */
    static final class ConfigFileEnv {
        static final String NAME = io.orchide.client.config.ConfigFile.ENV;
        static final String NONE = "/nonexistent/orchide-test/config";

        private ConfigFileEnv() {
        }
    }

    /** Runs {@code orchide ARGS --server URL} in-process with {@code env} as its whole environment. */
    Result run(Map<String, String> env, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.add("--server");
        full.add(url());
        return cli(env, full.toArray(String[]::new));
    }

    private static Result inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o); // some verbs print through System.out and System.err themselves
            System.setErr(e);
            int rc = Main.run(args, o, e);
            return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Reply reply;
        synchronized (this) {
            requests.add(new Request(method, path, ex.getRequestURI().getQuery(), body,
                    ex.getRequestHeaders().getFirst("Authorization")));
            List<Reply> rs = replies.get(method + " " + path);
            reply = rs == null ? new Reply(404, "application/json",
                    "{\"code\":\"not_found\",\"message\":\"no route " + method + " " + path + "\"}")
                    : rs.size() > 1 ? rs.removeFirst() : rs.getFirst();
        }
        byte[] b = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", reply.contentType());
        ex.sendResponseHeaders(reply.status(), b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() { server.stop(0); }
}
