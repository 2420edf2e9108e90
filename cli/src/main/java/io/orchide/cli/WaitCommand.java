package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code orchide wait workload NAME --for ended --timeout 60s}: blocks until the workload gets there. */
@Command(name = "wait", description = "Wait until a workload reaches a state (ended, running, or a state name).")
final class WaitCommand implements Runnable {
    @Mixin
    WorkloadRef ref;

    @Option(names = "--for", defaultValue = "ended", description = "ended (default), running, or a state name")
    String condition;

    @Option(names = "--timeout", defaultValue = "60s", description = "How long to wait, e.g. 30s, 5m (default 60s)")
    String timeout;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        String name = ref.name();
        int seconds = seconds(timeout);
        JsonNode w = server.client().get("/api/v1/workloads/" + name + "/wait?for="
                + java.net.URLEncoder.encode(condition, java.nio.charset.StandardCharsets.UTF_8)
                + "&timeoutSeconds=" + seconds, java.time.Duration.ofSeconds(seconds + 30L));
        System.out.println("workload/" + name + " " + w.path("state").asText());
    }

    static int seconds(String d) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(s|m|h)?").matcher(d);
        if (!m.matches()) throw new CliException("--timeout: expected e.g. 30s, 5m or 1h (got " + d + ")");
        long n = Long.parseLong(m.group(1)) * switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> 60;
            case "h" -> 3600;
            default -> 1;
        };
        if (n < 1 || n > 3600) throw new CliException("--timeout: must be from 1s to 1h (got " + d + ")");
        return (int) n;
    }
}
