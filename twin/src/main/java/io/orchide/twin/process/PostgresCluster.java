package io.orchide.twin.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server of a scenario whose ground runs on PostgreSQL, set up as an operator would for ground
 * (docs/operations.md): a cluster made by {@code initdb} in a directory of the scenario's work directory, its Unix
 * socket in that directory too, listening on 127.0.0.1 on a free port; a role {@value #ROLE} with a random password
 * that owns the database {@value #DATABASE} and is no superuser; the password in a file readable by its owner only
 * ({@link #passwordFile}) for ground's {@code --db-password-file}, never on a command line. Over TCP only a password
 * gets in; the superuser is reached through the socket alone (mode 0700: the cluster's user only), to set the role up.
 *
 * <p>The server comes from Debian's {@code postgresql} package ({@code /usr/lib/postgresql/<version>/bin}). initdb
 * and the server refuse to run as root, so as root every tool runs as user {@code postgres} through {@code runuser}:
 * the cluster's directory is given to that user, and private directories above it under the temporary directory are
 * made traversable (not readable) by others; a work directory that user cannot reach otherwise (under
 * {@code /root}) gets its cluster in a temporary directory instead, removed when it stops. {@link #stopServer} and {@link #startServer} restart it on the same port (a {@code databaseRestart}
 * fault); {@link #close} stops it at once.
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String DATABASE = "orchide";
    public static final String ROLE = "orchide";
    static final Path DEBIAN = Path.of("/usr/lib/postgresql");
    /** What a missing server says, wherever it is found missing. */
    public static final String NOT_INSTALLED = "PostgreSQL's server is not installed here (no initdb and pg_ctl under "
            + DEBIAN + "/<version>/bin): apt-get install postgresql";

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    private final Path passwordFile;
    private final boolean outside; // the cluster is not in the work directory: close removes it
    private boolean running;

    private PostgresCluster(Path bin, Path dir, int port, boolean asPostgres, Path passwordFile, boolean outside) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
        this.passwordFile = passwordFile;
        this.outside = outside;
    }

    /**
     * Whether the postgres user can reach {@code dir}: every directory above it lets others through. Directories
     * under the temporary directory that do not (made private by whoever created them, such as the twin's own work
     * directory) are opened for traversal only, never for listing; others are left as they are.
     */
    private static boolean reachable(Path dir) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        List<Path> closed = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                if (!p.startsWith(tmp) || p.equals(tmp)) return false;
                closed.add(p);
            }
        }
        for (Path p : closed) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        }
        return true;
    }

    /** Where the cluster is (its data, its socket and its log). */
    public Path directory() {
        return dir;
    }

    /** The newest Debian PostgreSQL server binaries here (the directory with initdb and pg_ctl), if any. */
    public static Optional<Path> binaries() {
        if (!Files.isDirectory(DEBIAN)) return Optional.empty();
        try (var s = Files.list(DEBIAN)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb"))
                    && Files.isExecutable(p.resolve("pg_ctl")) && Files.isExecutable(p.resolve("psql")))
                    .max(Path::compareTo);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes a new cluster in {@code dir} (which must not exist yet; its parent must), with the role, the database and
     * the password file, and starts it. On failure nothing of it runs.
     *
     * @throws IOException saying {@link #NOT_INSTALLED} when the server is missing, or which tool failed and what it said
     */
    public static PostgresCluster start(Path dir) throws IOException, InterruptedException {
        return start(dir, binaries());
    }

    /** As {@link #start(Path)}, with the server binaries found at {@code bin} (empty: not installed). */
    static PostgresCluster start(Path dir, Optional<Path> binaries) throws IOException, InterruptedException {
        Path bin = binaries.orElseThrow(() -> new IOException(NOT_INSTALLED));
        boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        Path parent = dir.toAbsolutePath().getParent();
        boolean outside = false;
        if (root && !reachable(parent)) {
            // a work directory the postgres user cannot reach, above the temporary directory (under /root): the
            // cluster goes to a temporary directory of its own, removed by close
            dir = Files.createTempDirectory("orchide-twin-pg-");
            outside = true;
        } else {
            Files.createDirectory(dir);
        }
        if (root) run(List.of("chown", "postgres:postgres", dir.toString()), null);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // beside the cluster, not in it: ground's user reads it, and the cluster's user needs it only at set-up
        Path passwordFile = parent.resolve("ground-db.password");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(18));
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password + "\n");
        PostgresCluster pg = new PostgresCluster(bin, dir.toAbsolutePath(), port, root, passwordFile, outside);
        try {
            pg.tool(null, "initdb", "-D", pg.data().toString(), "-U", "postgres", "--auth-local=trust",
                    "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8");
            pg.startServer();
            // the password goes on psql's standard input: never in an argument that ps shows
            pg.tool("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "';\n"
                            + "CREATE DATABASE " + DATABASE + " OWNER " + ROLE + ";\n",
                    "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.dir.toString(), "-p", Integer.toString(port),
                    "-U", "postgres", "-d", "postgres");
        } catch (IOException | InterruptedException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The URL the replicas are given ({@code --db}), without the password. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + ROLE;
    }

    /** The file whose first line is the role's password (mode 600), for {@code --db-password-file}. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** The server's own log. */
    public Path log() {
        return dir.resolve("server.log");
    }

    /** Starts the server on its port, its socket in its directory, and waits until it accepts connections. */
    public synchronized void startServer() throws IOException, InterruptedException {
        if (running) return;
        tool(null, "pg_ctl", "-D", data().toString(), "-l", log().toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c unix_socket_permissions=0700 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
                "start");
        running = true;
    }

    /**
     * Stops the server in fast mode (sessions are cut and their transactions rolled back), as an operator's
     * {@code systemctl restart postgresql} does to its clients, and waits until it is down.
     */
    public synchronized void stopServer() throws IOException, InterruptedException {
        if (!running) return;
        tool(null, "pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop");
        running = false;
    }

    public synchronized boolean running() {
        return running;
    }

    public int port() {
        return port;
    }

    @Override
    public String toString() {
        return "PostgreSQL " + bin.getParent().getFileName() + " on 127.0.0.1:" + port + " (" + dir + ")";
    }

    /**
     * Stops the server at once (immediate mode). Its directory stays with the work directory's other data, unless it
     * had to be outside it.
     */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        try {
            if (running || Files.exists(data().resolve("postmaster.pid"))) {
                tool(null, "pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", "60", "stop");
            }
            running = false;
        } finally {
            if (outside) run(List.of("rm", "-rf", dir.toString()), null);
        }
    }

    private void tool(String input, String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.add(bin.resolve(name).toString());
        cmd.addAll(List.of(args));
        run(cmd, input);
    }

    private static void run(List<String> cmd, String input) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (input == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (input != null) {
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        // pg_ctl start leaves the server holding no pipe of ours (its output goes to the log file), so this ends
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not end within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (status " + p.exitValue() + "): " + out.strip());
        }
    }
}
