package io.orchide.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** An agent started through the real launcher ({@code ./orchide node}), with its JVM settings, for measuring. */
final class BenchAgent implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("orchide.home", ".")).toAbsolutePath();

    final Path dataDir;
    final String server;
    private final String authorization; // the node's token, as every call of its API needs
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();

    BenchAgent(String... extra) throws IOException {
        dataDir = Files.createTempDirectory("orchide-bench-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = "http://127.0.0.1:" + port;
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(HOME.resolve("orchide").toString(),
                "node", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port));
        cmd.addAll(java.util.List.of(extra));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null && !line.contains("listening on")) {
            System.err.println("agent: " + line);
        }
        if (line == null) throw new IllegalStateException("agent exited");
        authorization = "Bearer " + io.orchide.node.api.NodeToken.read(
                io.orchide.node.layout.NodeLayout.of(dataDir).token()).value();
        Thread.ofVirtual().start(() -> {
            try {
                r.lines().forEach(l -> System.err.println("agent: " + l));
            } catch (java.io.UncheckedIOException closed) {
                // the agent was stopped
            }
        });
    }

    long pid() { return process.pid(); }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", authorization);
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(request(path).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Resident set size and proportional set size (shared pages divided among their users), in KiB. */
    long[] rssPssKiB() throws IOException {
        long rss = 0;
        long pss = 0;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid() + "/smaps_rollup"))) {
            if (l.startsWith("Rss:")) rss = Long.parseLong(l.replaceAll("\\D", ""));
            if (l.startsWith("Pss:")) pss = Long.parseLong(l.replaceAll("\\D", ""));
        }
        return new long[]{rss, pss};
    }

    /** User + system CPU time of each of the agent's threads by name, in clock ticks (1/100 s), summed per name. */
    java.util.Map<String, Long> threadCpuTicks() throws IOException {
        java.util.Map<String, Long> ticks = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        }
        return ticks;
    }

    /** User + system CPU time of the agent, in clock ticks (1/100 s). */
    long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Deletes every workload (they outlive the agent by design), then stops the agent and removes its data. */
    @Override
    public void close() throws Exception {
        String list = get("/api/v1/workloads").body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\" : \"([a-z0-9-]+)\"").matcher(list);
        while (m.find()) delete("/api/v1/workloads/" + m.group(1));
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        try (var s = Files.walk(dataDir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
