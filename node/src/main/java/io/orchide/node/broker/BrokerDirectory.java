package io.orchide.node.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The pull API of one workload as a shared directory, for guests that have a file share (9p, virtiofs) and no
 * socket: a freestanding C unikernel needs only open, write, rename, read and unlink. The directory holds
 * {@code req/} and {@code resp/}. The guest writes a request (the JSON object of {@link BrokerProtocol}, at most
 * {@link BrokerSocket#MAX_LINE} bytes) under a name of its own that does not end in {@code .json}, then renames it
 * to {@code req/ID.json} ({@code ID}: 1 to 64 letters, digits, '_' or '-'). The broker takes each such file as it
 * appears (a file event; those present at start are taken too, so a request survives an agent restart), removes it,
 * and places the answer at {@code resp/ID.json} by the same write-then-rename, so the guest never reads half an
 * answer. The guest waits for {@code resp/ID.json}, reads it and removes it. Other names are left alone.
 */
public final class BrokerDirectory implements AutoCloseable {
    private static final Pattern REQUEST = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.json");
    private static final System.Logger LOG = System.getLogger(BrokerDirectory.class.getName());
    /** How long {@link #close} waits for the request being answered, if any. */
    static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(5);

    private final Path root;
    private final Path requests;
    private final Path responses;
    private final Supplier<Caller> caller;
    private final Broker broker;
    private final WatchService watcher;
    private final Thread thread;

    private BrokerDirectory(Path root, Supplier<Caller> caller, Broker broker) throws IOException {
        this.root = root;
        this.requests = root.resolve("req");
        this.responses = root.resolve("resp");
        this.caller = caller;
        this.broker = broker;
        Files.createDirectories(requests);
        Files.createDirectories(responses);
        this.watcher = requests.getFileSystem().newWatchService();
        requests.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = Thread.ofVirtual().name("broker-dir-" + root.getFileName()).start(this::run);
    }

    /** Serves the requests of {@code caller} placed under {@code root} (made when missing). */
    public static BrokerDirectory open(Path root, Supplier<Caller> caller, Broker broker) throws IOException {
        return new BrokerDirectory(root, caller, broker);
    }

    public Path root() {
        return root;
    }

    private void run() {
        try {
            takeAll(); // after registering: a request placed in between is seen by the listing or by an event
            while (true) {
                WatchKey key = watcher.take();
                boolean overflow = false;
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) overflow = true;
                    else take(requests.resolve((Path) e.context()));
                }
                if (overflow) takeAll();
                if (!key.reset()) return;
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void takeAll() throws InterruptedException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(requests, "*.json")) {
            for (Path p : s) take(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + requests + ": " + e.getMessage());
        }
    }

    private void take(Path request) throws InterruptedException {
        String name = request.getFileName().toString();
        if (!REQUEST.matcher(name).matches()) return;
        // the guest owns this directory and may place links: the agent follows none, so that a request can neither
        // read a host file nor have an answer written over one
        if (!realDirectory(requests) || !realDirectory(responses)
                || !Files.isRegularFile(request, LinkOption.NOFOLLOW_LINKS)) return;
        byte[] bytes;
        try (InputStream in = Files.newInputStream(request, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(BrokerSocket.MAX_LINE + 1);
            Files.deleteIfExists(request);
        } catch (IOException e) {
            return; // taken by an earlier event already
        }
        ObjectNode answer = bytes.length > BrokerSocket.MAX_LINE
                ? BrokerProtocol.malformed(broker, caller.get(), null, "request", "is longer than " + BrokerSocket.MAX_LINE + " bytes")
                : BrokerProtocol.answer(broker, caller.get(), new String(bytes, StandardCharsets.UTF_8));
        try {
            Path part = responses.resolve("." + name + ".part");
            Files.deleteIfExists(part); // a link left there goes, not what it points to
            // not synced: an answer matters only to a guest that runs on this kernel, and reads it from its cache
            Files.write(part, (TwinHandler.JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(part, responses.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot answer " + request + ": " + e.getMessage());
        }
    }

    private boolean realDirectory(Path dir) {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return true;
        LOG.log(System.Logger.Level.WARNING, dir + " is no longer a directory of its own: its requests are not answered");
        return false;
    }

    /**
     * Stops serving: requests placed from now on wait, those present stay for the next agent to take (a stopping agent
     * keeps its channels' directories). Returns once the serving thread has ended, or after {@link #STOP_WAIT} for
     * one that does not end (a request it answers may then still land in {@code resp/}).
     */
    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
        try {
            if (!thread.join(STOP_WAIT)) LOG.log(System.Logger.Level.WARNING, "the broker directory " + root + " still answers a request");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops serving and removes the directory with what the guest left in it: the channel is gone for good, and a
     * request left behind must not be answered for whoever gets a channel at this path next. Links in it are removed,
     * never followed.
     */
    public void remove() throws IOException {
        close();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
