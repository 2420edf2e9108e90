package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code orchide demo}: starts a real agent process on a scratch data directory and walks through what a
 * payload developer does with it: doctor, apply unikernels for both architectures and a container, list,
 * logs, describe, restart, stop, delete. Ctrl-C stops everything it started.
 */
@Command(name = "demo", description = "Run the demo: an agent with unikernels and a container, on embedded defaults.")
final class DemoCommand implements Runnable {
    @Option(names = "--keep", description = "Leave the agent's data directory in place afterwards")
    boolean keep;

    private Process node;
    private String server;

    @Override
    public void run() {
        Path home = Path.of(System.getProperty("orchide.home", ".")).toAbsolutePath();
        Path data;
        try {
            data = Files.createTempDirectory("orchide-demo-");
        } catch (IOException e) {
            throw new CliException("cannot create a data directory: " + e.getMessage());
        }
        Thread cleanup = new Thread(() -> stopNode(data));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            server = startNode(home, data);
            new DemoScript(home, server, data).run();
        } finally {
            stopNode(data);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private String startNode(Path home, Path data) {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new CliException("no free port: " + e.getMessage());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = home.resolve("cli/target/orchide.jar").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx40m", "-XX:TieredStopAtLevel=1",
                "-jar", jar, "node", "--data-dir", data.toString(), "--listen", "127.0.0.1:" + port));
        System.out.println("== starting an agent: orchide node --data-dir " + data + " --listen 127.0.0.1:" + port);
        try {
            node = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new CliException("cannot start the agent: " + e.getMessage());
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = out.readLine()) != null) {
                    if (line.contains("listening on")) return line;
                    seen.append(line).append('\n');
                }
                throw new CliException("the agent exited before serving:\n" + seen);
            } catch (IOException e) {
                throw new CliException("cannot read the agent's output: " + e.getMessage());
            }
        });
        try {
            System.out.println("   " + ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw e.getCause() instanceof CliException ce ? ce : new CliException("the agent did not start: " + e);
        }
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
        return "http://127.0.0.1:" + port;
    }

    private synchronized void stopNode(Path data) {
        if (node == null) return;
        try {
            // workloads outlive their agent by design: remove what the demo started before stopping the agent
            ApiClient api = new ApiClient(server);
            for (JsonNode p : api.get("/api/v1/pipelines").path("items")) {
                api.delete("/api/v1/pipelines/" + p.path("name").asText());
            }
            for (JsonNode w : api.get("/api/v1/workloads").path("items")) {
                api.delete("/api/v1/workloads/" + w.path("name").asText());
            }
        } catch (CliException e) {
            System.err.println("   cleanup: " + e.getMessage());
        } finally {
            node.destroy();
            try {
                if (!node.waitFor(10, TimeUnit.SECONDS)) node.destroyForcibly();
            } catch (InterruptedException e) {
                node.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            node = null;
            if (!keep) DemoScript.deleteTree(data);
            else System.out.println("   data kept in " + data);
        }
    }
}
