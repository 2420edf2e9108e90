package io.orchide.node.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The pull API of one app or pipeline for Solo5 guests, which have block devices and nothing else. Each attempt of a
 * Solo5 workload gets a mailbox file of its own, {@link #SIZE} bytes, in the directory this serves, attached to the
 * guest as the block device {@link #DEVICE}; the tender reads and writes it with {@code pread}/{@code pwrite} of whole
 * 512-byte blocks, so the agent and the guest see each other's writes at once. Layout (little-endian {@code u32}s):
 * <pre>
 *   block 0        request header, written by the guest: magic "ORCHIDEQ", u32 version (1), u32 seq, u32 length
 *   blocks 1-128   the request: {@code length} bytes (1 to {@link #MAX_REQUEST}) of the JSON of {@link BrokerProtocol}
 *   block 129      answer header, written by the agent: magic "ORCHIDEA", u32 version (1), u32 seq, u32 length
 *   blocks 130-    the answer: {@code length} bytes of JSON (at most {@link #MAX_ANSWER})
 * </pre>
 * The guest writes the request's blocks first and its header last; the agent answers a request header whose
 * {@code seq} differs from the answer header's (a file event, and a slow re-check of every mailbox in case an event
 * was missed), writing the answer's blocks first and its header last, with the request's {@code seq}. The guest
 * polls the answer header until it bears its {@code seq}. A request header that does not read (magic, version,
 * length) is answered with an {@code invalid} error naming the field, under its {@code seq}. A request header read
 * twice around its request must read the same both times, so that a header the guest is still writing is not taken.
 * Who asks is whose mailbox it is, never what the request says. Files that are not regular (a link) are never opened.
 */
public final class BrokerMailbox implements AutoCloseable {
    /** The name of the block device a Solo5 image declares to be given its mailbox. */
    public static final String DEVICE = "orchidebroker";
    public static final int BLOCK = 512;
    public static final int MAX_REQUEST = BrokerSocket.MAX_LINE;
    public static final long REQUEST_HEADER = 0;
    public static final long REQUEST_AT = BLOCK;
    public static final long ANSWER_HEADER = REQUEST_AT + MAX_REQUEST;
    public static final long ANSWER_AT = ANSWER_HEADER + BLOCK;
    public static final long SIZE = 1 << 20;
    public static final int MAX_ANSWER = (int) (SIZE - ANSWER_AT);
    public static final int VERSION = 1;
    static final byte[] REQUEST_MAGIC = "ORCHIDEQ".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ANSWER_MAGIC = "ORCHIDEA".getBytes(StandardCharsets.US_ASCII);
    /** How often every mailbox is read again in case a file event was lost. */
    public static final Duration RECHECK = Duration.ofSeconds(2);

    private static final Pattern MAILBOX = Pattern.compile("[A-Za-z0-9_-]{1,64}\\.blk");
    private static final System.Logger LOG = System.getLogger(BrokerMailbox.class.getName());

    private final Path dir;
    private final Supplier<Caller> caller;
    private final Broker broker;
    private final Duration recheck;
    private final WatchService watcher;
    private final Thread thread;
    /** Mailboxes being answered: FALSE while one worker runs, TRUE when it must read the mailbox again after. */
    private final ConcurrentHashMap<Path, Boolean> busy = new ConcurrentHashMap<>();
    /** Mailboxes already reported as unusable, so that the re-check does not report them again. */
    private final Set<Path> reported = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private BrokerMailbox(Path dir, Supplier<Caller> caller, Broker broker, Duration recheck) throws IOException {
        this.dir = dir;
        this.caller = caller;
        this.broker = broker;
        this.recheck = recheck;
        Files.createDirectories(dir);
        this.watcher = dir.getFileSystem().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = Thread.ofVirtual().name("broker-mbox-" + dir.getFileName()).start(this::run);
    }

    /** Serves the mailboxes of {@code caller} in {@code dir} (made when missing). */
    public static BrokerMailbox open(Path dir, Supplier<Caller> caller, Broker broker) throws IOException {
        return open(dir, caller, broker, RECHECK);
    }

    static BrokerMailbox open(Path dir, Supplier<Caller> caller, Broker broker, Duration recheck) throws IOException {
        return new BrokerMailbox(dir, caller, broker, recheck);
    }

    public Path dir() {
        return dir;
    }

    /**
     * The mailbox of the attempt whose run directory is {@code runDir}, in the mailbox directory {@code dir}: named
     * after the run directory, so that the attempt's end finds it again whoever started the attempt.
     */
    public static Path fileFor(Path dir, Path runDir) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(runDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(h, 0, 8) + ".blk");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes an empty mailbox at {@code file} (one there is replaced: a new attempt starts with no request). */
    public static Path create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file); // a link left there goes, not what it points to
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), SIZE - 1);
        }
        return file;
    }

    private void run() {
        try {
            checkAll(); // after registering: a request written in between is seen by the listing or by an event
            while (true) {
                WatchKey key = watcher.poll(recheck.toMillis(), TimeUnit.MILLISECONDS);
                if (key == null) {
                    checkAll();
                    continue;
                }
                boolean overflow = false;
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) overflow = true;
                    else if (e.kind() == StandardWatchEventKinds.ENTRY_DELETE) reported.remove(dir.resolve((Path) e.context()));
                    else check(dir.resolve((Path) e.context()));
                }
                if (overflow) checkAll();
                if (!key.reset()) return;
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void checkAll() {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.blk")) {
            for (Path p : s) check(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Reads {@code file} on a worker of its own, so that a request the broker makes wait (a lease) holds up only its
     * own guest. At most one worker per mailbox: a check while one runs makes it read the mailbox once more after.
     */
    private void check(Path file) {
        if (closed || !MAILBOX.matcher(file.getFileName().toString()).matches()) return;
        boolean running = busy.compute(file, (f, again) -> again == null ? Boolean.FALSE : Boolean.TRUE);
        if (running) return;
        Thread.ofVirtual().name("broker-mbox-" + file.getFileName()).start(() -> work(file));
    }

    private void work(Path file) {
        while (true) {
            serve(file);
            if (closed) {
                busy.remove(file);
                return;
            }
            if (busy.remove(file, Boolean.FALSE)) return; // no check came meanwhile
            busy.put(file, Boolean.FALSE);
        }
    }

    private void serve(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() != SIZE) {
                if (reported.add(file))
                    LOG.log(System.Logger.Level.WARNING, file + " is " + ch.size() + " bytes, not a mailbox of " + SIZE + ": not answered");
                return;
            }
            Header asked = Header.read(ch, REQUEST_HEADER);
            if (asked.blank()) return;
            Header answered = Header.read(ch, ANSWER_HEADER);
            if (answered.magicIs(ANSWER_MAGIC) && answered.seq() == asked.seq()) return;
            byte[] request = asked.lengthFits() ? read(ch, REQUEST_AT, asked.length()) : new byte[0];
            if (!Arrays.equals(asked.raw(), Header.read(ch, REQUEST_HEADER).raw())) return; // still being written: its event comes
            write(ch, asked.seq(), answer(asked, request));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot answer the mailbox " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode answer(Header asked, byte[] request) throws InterruptedException {
        if (!asked.magicIs(REQUEST_MAGIC))
            return BrokerProtocol.malformed(broker, caller.get(), null, "mailbox.magic", "is " + printable(asked.raw(), 8) + ", not ORCHIDEQ");
        if (asked.version() != VERSION)
            return BrokerProtocol.malformed(broker, caller.get(), null, "mailbox.version", "is " + Integer.toUnsignedString(asked.version())
                    + ", not " + VERSION);
        if (!asked.lengthFits())
            return BrokerProtocol.malformed(broker, caller.get(), null, "mailbox.length", "is " + Integer.toUnsignedString(asked.length())
                    + "; a request is 1 to " + MAX_REQUEST + " bytes");
        return BrokerProtocol.answer(broker, caller.get(), new String(request, StandardCharsets.UTF_8));
    }

    private static void write(FileChannel ch, int seq, ObjectNode answer) throws IOException {
        byte[] body = TwinHandler.JSON.writeValueAsBytes(answer);
        if (body.length > MAX_ANSWER) {
            JsonNode id = answer.get("id");
            body = TwinHandler.JSON.writeValueAsBytes(BrokerProtocol.error(id, "failed", "answer", "is " + body.length
                    + " bytes, more than a mailbox holds (" + MAX_ANSWER + ")"));
        }
        ByteBuffer blocks = ByteBuffer.allocate((body.length + BLOCK - 1) / BLOCK * BLOCK).put(body).clear();
        while (blocks.hasRemaining()) ch.write(blocks, ANSWER_AT + blocks.position());
        // the header last, in one block: the guest that sees its seq there finds the whole answer before it
        ByteBuffer header = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN)
                .put(ANSWER_MAGIC).putInt(VERSION).putInt(seq).putInt(body.length).clear();
        while (header.hasRemaining()) ch.write(header, ANSWER_HEADER + header.position());
    }

    private static byte[] read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) if (ch.read(b, at + b.position()) < 0) break;
        return b.array();
    }

    private static String printable(byte[] b, int n) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.append('"').toString();
    }

    /** The first 20 bytes of a header block: magic, version, seq, length. */
    private record Header(byte[] raw) {
        static Header read(FileChannel ch, long at) throws IOException {
            return new Header(BrokerMailbox.read(ch, at, 20));
        }

        private ByteBuffer le() {
            return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean blank() {
            for (byte b : raw) if (b != 0) return false;
            return true;
        }

        boolean magicIs(byte[] magic) {
            return Arrays.equals(raw, 0, 8, magic, 0, 8);
        }

        int version() {
            return le().getInt(8);
        }

        int seq() {
            return le().getInt(12);
        }

        int length() {
            return le().getInt(16);
        }

        boolean lengthFits() {
            return length() > 0 && length() <= MAX_REQUEST;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watcher.close();
        thread.interrupt();
    }
}
