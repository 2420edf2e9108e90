package io.orchide.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code orchide ground} process started from the built distribution. */
final class Ground implements AutoCloseable {
    final Path dataDir;
    final int apiPort;
    final int linkPort;
    private final List<String> extra;
    private Process process;
    private int starts;

    Ground(Path dataDir, int apiPort, int linkPort, String... extra) {
        this.dataDir = dataDir;
        this.apiPort = apiPort;
        this.linkPort = linkPort;
        this.extra = List.of(extra);
    }

    String server() { return "http://127.0.0.1:" + apiPort; }

    String link() { return "127.0.0.1:" + linkPort; }

    Ground start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Agent.javaBin(), "-XX:+UseSerialGC", "-Xmx128m", "-jar",
                Agent.JAR.toString(), "ground", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + apiPort,
                "--link-listen", link()));
        cmd.addAll(extra);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-ground-" + (++starts) + ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("API http://127.0.0.1:" + apiPort)) return this;
            if (!process.isAlive()) throw new IllegalStateException("ground exited: " + Files.readString(log));
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("ground did not start: " + Files.readString(log));
    }

    /** kill -9: ground dies at once, mid-transfer if there is one. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) kill9();
        }
    }
}
