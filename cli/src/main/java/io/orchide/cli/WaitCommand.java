package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.cli.Resources.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code orchide wait workload NAME --for ended --timeout 60s}: blocks until the workload gets there.
 * {@code orchide wait run NAME}: blocks until the run ends; the exit status is 0 only if it succeeded.
 */
@Command(name = "wait", description = "Wait until a workload reaches a state (ended, running, or a state name), "
        + "or until a pipeline run ends (exit status 0 only if it succeeded): wait workload|run NAME.")
final class WaitCommand implements Callable<Integer> {
    @Mixin
    ResourceRef ref;

    @Option(names = "--for", description = "Workloads: ended (default), running, or a state name")
    String condition;

    @Option(names = "--timeout", defaultValue = "60s", description = "How long to wait, e.g. 30s, 5m (default 60s)")
    String timeout;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Kind kind = ref.kind(Kind.WORKLOAD, Kind.RUN);
        String name = ref.name(kind);
        if (kind == Kind.RUN && condition != null) throw new CliException("--for applies to workloads; a run is waited on until it ends");
        int seconds = seconds(timeout);
        boolean json = output.json();
        String query = kind == Kind.RUN ? ApiClient.query("timeoutSeconds", String.valueOf(seconds))
                : "?for=" + URLEncoder.encode(condition == null ? "ended" : condition, StandardCharsets.UTF_8)
                + "&timeoutSeconds=" + seconds;
        JsonNode r = server.client().get("/api/v1/" + kind.plural() + "/" + name + "/wait" + query,
                Duration.ofSeconds(seconds + 30L));
        if (json) Printer.json(System.out, r);
        else System.out.println(kind.singular() + "/" + name + " " + r.path("state").asText());
        return kind == Kind.RUN && !r.path("state").asText().equals("succeeded") ? 1 : 0;
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
