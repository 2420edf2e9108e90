package io.orchide.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the distribution's packages (Debian's {@code postgresql}, {@code /usr/lib/postgresql/<v>}),
 * in a scratch directory, as user {@code postgres} when run as root: the real server a benchmark measures against,
 * stopped and removed on {@link #close}.
 */
final class ScratchPostgres implements AutoCloseable {
    private final Path bin, dir;
    final int port;
    final String version;

    private ScratchPostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.version = bin.getParent().getFileName().toString();
    }

    static ScratchPostgres start() throws Exception {
        Path root = Path.of("/usr/lib/postgresql");
        Path bin;
        try (var s = Files.list(root)) {
            bin = s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb"))).max(Path::compareTo)
                    .orElseThrow();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException("no PostgreSQL server under " + root + ": apt-get install -y postgresql");
        }
        Path dir = Files.createTempDirectory("orchide-bench-pg");
        boolean root0 = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        if (root0) run(List.of("chown", "postgres:postgres", dir.toString()), false);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ScratchPostgres pg = new ScratchPostgres(bin, dir, port);
        pg.as(root0, List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8"));
        pg.as(root0, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
        return pg;
    }

    /** A new database's URL (no password: the scratch server trusts loopback). */
    String newDatabase(String name) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
             var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
    }

    private void as(boolean root, List<String> cmd) throws Exception {
        if (!root) {
            run(cmd, true);
            return;
        }
        List<String> full = new java.util.ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(cmd);
        run(full, true);
    }

    private static void run(List<String> cmd, boolean check) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || (check && p.exitValue() != 0)) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        as(root, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "stop"));
        run(List.of("rm", "-rf", dir.toString()), false);
    }
}
