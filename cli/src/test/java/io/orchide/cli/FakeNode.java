package io.orchide.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node API stand-in for unit tests: answers {@code METHOD /path} (query left out) with canned replies, records
 * every request, and runs CLI verbs in-process against itself. The replies are the node's own views
 * ({@code io.orchide.node.api.NodeApiSamples}) or, standing in for ground ({@link #ground()}), checked against
 * ground's OpenAPI document, so that they are answers the real servers give.
 */
final class FakeNode implements AutoCloseable {
    /** A request as the node saw it. */
    record Request(String method, String path, String query, String body) {
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

    /** A node's API. */
    FakeNode() throws IOException {
        this(false);
    }

    private FakeNode(boolean ground) throws IOException {
        this.ground = ground;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Ground's API: every JSON answer given to {@link #on} is checked against ground's OpenAPI document. */
    static FakeNode ground() throws IOException {
        return new FakeNode(true);
    }

    /** Answers {@code METHOD PATH} with a JSON body; several replies for one key are given in turn, the last kept. */
    FakeNode on(String methodAndPath, int status, String json) {
        if (ground) {
            String[] mp = methodAndPath.split(" ", 2);
            GroundOpenApi.check(mp[0], mp[1], status, json);
        }
        replies.computeIfAbsent(methodAndPath, k -> new ArrayList<>()).add(new Reply(status, "application/json", json));
        return this;
    }

    FakeNode onText(String methodAndPath, String text) {
        replies.computeIfAbsent(methodAndPath, k -> new ArrayList<>()).add(new Reply(200, "text/plain", text));
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int rc = Main.run(full.toArray(String[]::new), o, e);
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
            requests.add(new Request(method, path, ex.getRequestURI().getQuery(), body));
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
    public void close() { server.stop(0); }
}
