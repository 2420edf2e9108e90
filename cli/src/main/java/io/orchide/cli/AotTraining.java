package io.orchide.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * What the launcher records the client verbs' class cache from ({@code orchide --aot-training}, JDK 25+): the
 * common verbs run in-process against a stand-in API on the loopback interface, their output thrown away. A user's
 * own command line is never replayed, and nothing the JVM says while recording reaches a user's terminal.
 */
final class AotTraining {
    private static final String WORKLOAD = """
            {"name":"hello","family":"unikraft","monitor":"qemu","arch":"x86_64","state":"Running","restarts":0,
             "createdAt":"2026-01-01T00:00:00Z","pid":42,"message":null}""";
    private static final String RUN = """
            {"name":"scan-000001","id":1,"pipeline":"scan","priority":50,"effectivePriority":null,"state":"running",
             "reason":null,"trigger":{"kind":"manual","detail":null},"steps":["detect"],"deadline":null,
             "createdAt":"2026-01-01T00:00:00Z","startedAt":"2026-01-01T00:00:01Z","endedAt":null}""";

    private AotTraining() {
    }

    static int run() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", AotTraining::answer);
        server.start();
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try {
            System.setOut(none);
            System.setErr(none);
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            String[][] lines = {
                    {"get", "workloads"}, {"get", "workloads", "-o", "wide"}, {"get", "workloads", "-o", "json"},
                    {"get", "runs"}, {"get", "pipelines"}, {"get", "products"}, {"describe", "workload", "hello"},
                    {"wait", "workload", "hello", "--timeout", "5s"}, {"stop", "hello"}, {"delete", "workload", "gone"},
                    {"get", "workloads", "--satellite", "sat-1"}, {"get", "nothing"}};
            for (String[] line : lines) {
                String[] args = java.util.Arrays.copyOf(line, line.length + 2);
                args[line.length] = "--server";
                args[line.length + 1] = url;
                Main.run(args, none, none);
            }
            return 0;
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
            server.stop(0);
        }
    }

    private static void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        ex.getRequestBody().readAllBytes();
        int status = 200;
        String body;
        if (path.equals("/api/v1/workloads")) body = "{\"items\":[" + WORKLOAD + "]}";
        else if (path.equals("/api/v1/runs")) body = "{\"items\":[" + RUN + "]}";
        else if (path.equals("/api/v1/pipelines") || path.equals("/api/v1/products")) body = "{\"items\":[]}";
        else if (path.startsWith("/api/v1/workloads/hello")) body = WORKLOAD;
        else {
            status = 404;
            body = "{\"code\":\"not_found\",\"message\":\"no such resource: " + path + "\"}";
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }
}
