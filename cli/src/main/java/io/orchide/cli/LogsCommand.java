package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;

/** {@code orchide logs NAME [-f] [--tail N]}: the workload's console (serial console of a unikernel). */
@Command(name = "logs", description = "Print a workload's console output.")
final class LogsCommand implements Runnable {
    @Parameters(index = "0", description = "Workload name")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until interrupted")
    boolean follow;

    @Option(names = "--tail", description = "Lines from the end to start with (default 200)")
    int tail = 200;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        if (tail < 0) throw new CliException("--tail must not be negative (got " + tail + ")");
        String path = "/api/v1/workloads/" + Resources.name(name) + "/logs?tail=" + tail + (follow ? "&follow=true" : "");
        try (InputStream in = server.client().stream(path)) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                System.out.write(buf, 0, n);
                System.out.flush();
            }
        } catch (IOException e) {
            throw new CliException("log stream ended: " + e.getMessage());
        }
    }
}
