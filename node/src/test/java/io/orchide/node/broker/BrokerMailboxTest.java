package io.orchide.node.broker;

import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Solo5 mailbox, driven as a tender drives a block device: whole 512-byte blocks at block offsets. */
class BrokerMailboxTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-21T12:00:00Z"));
    private final List<String> audit = new CopyOnWriteArrayList<>();
    private static final Caller PROBE = ProbeGnssBroker.PROBE;

    private Broker broker() throws Exception {
        return ProbeGnssBroker.create(clock, audit);
    }

    /** What a Solo5 guest's tender does with the mailbox: pwrite and pread of whole blocks, nothing else. */
    private record Tender(FileChannel ch) implements AutoCloseable {
        static Tender attach(Path file) throws IOException {
            return new Tender(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
        }

        void writeBlocks(long at, byte[] bytes) throws IOException {
            assertThat(at % BrokerMailbox.BLOCK).isZero();
            ByteBuffer b = ByteBuffer.allocate((bytes.length + 511) / 512 * 512).put(bytes).clear();
            for (int block = 0; block < b.capacity() / 512; block++) {
                ByteBuffer one = b.slice(block * 512, 512);
                while (one.hasRemaining()) ch.write(one, at + block * 512L + one.position());
            }
        }

        byte[] readBlocks(long at, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate((length + 511) / 512 * 512);
            while (b.hasRemaining()) ch.read(b, at + b.position());
            return java.util.Arrays.copyOf(b.array(), length);
        }

        /** The request's blocks, then its header block. */
        void ask(byte[] magic, int version, int seq, int length, byte[] request) throws IOException {
            writeBlocks(BrokerMailbox.REQUEST_AT, request);
            writeBlocks(BrokerMailbox.REQUEST_HEADER, ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN)
                    .put(magic).putInt(version).putInt(seq).putInt(length).array());
        }

        void ask(int seq, String json) throws IOException {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            ask("ORCHIDEQ".getBytes(StandardCharsets.US_ASCII), 1, seq, b.length, b);
        }

        ByteBuffer answerHeader() throws IOException {
            return ByteBuffer.wrap(readBlocks(BrokerMailbox.ANSWER_HEADER, 512)).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Polls the answer header until it bears {@code seq}, then reads the answer it announces. */
        String answer(int seq) throws IOException {
            await().until(() -> answerHeader().getInt(12) == seq);
            ByteBuffer h = answerHeader();
            assertThat(new String(h.array(), 0, 8, StandardCharsets.US_ASCII)).isEqualTo("ORCHIDEA");
            assertThat(h.getInt(8)).isEqualTo(1);
            return new String(readBlocks(BrokerMailbox.ANSWER_AT, h.getInt(16)), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    @Test
    void aGuestAsksThroughItsBlockDeviceAndIsAnsweredInOrderWithItsSeq() throws Exception {
        Path mailboxes = dir.resolve("app-probe.mbox");
        try (BrokerMailbox m = BrokerMailbox.open(mailboxes, () -> PROBE, broker());
             Tender guest = Tender.attach(BrokerMailbox.create(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1"))))) {
            guest.ask(1, "{\"id\": 7, \"verb\": \"read\", \"device\": \"gnss-1\"}");
            assertThat(guest.answer(1)).contains("\"id\":7", "\"ok\":true", "\"grant\":\"probe-gnss\"", "\"rate\":\"1Hz\"");
            // a shorter request over the longer one: only its length counts
            guest.ask(2, "{\"verb\": \"configure\", \"device\": \"gnss-1\"}");
            assertThat(guest.answer(2)).contains("\"ok\":false", "\"code\":\"verb_not_granted\"").doesNotContain("1Hz", "\"id\"");
            assertThat(audit).containsExactly("read allowed", "configure refused");
        }
    }

    @Test
    void twoGuestsOfOneAppAskThroughMailboxesOfTheirOwn() throws Exception {
        Path mailboxes = dir.resolve("app-probe.mbox");
        assertThat(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1"))).isNotEqualTo(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-2")));
        try (BrokerMailbox m = BrokerMailbox.open(mailboxes, () -> PROBE, broker());
             Tender one = Tender.attach(BrokerMailbox.create(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1"))));
             Tender two = Tender.attach(BrokerMailbox.create(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-2"))))) {
            one.ask(5, "{\"id\": \"one\", \"verb\": \"read\", \"device\": \"gnss-1\"}");
            two.ask(5, "{\"id\": \"two\", \"verb\": \"read\", \"device\": \"gnss-1\"}");
            assertThat(one.answer(5)).contains("\"id\":\"one\"", "\"ok\":true");
            assertThat(two.answer(5)).contains("\"id\":\"two\"", "\"ok\":true");
        }
    }

    @Test
    void aMalformedHeaderIsAnsweredWithAnErrorNamingTheFieldAndTheMailboxStillServes() throws Exception {
        Path mailboxes = dir.resolve("app-probe.mbox");
        byte[] read = "{\"id\": 1, \"verb\": \"read\", \"device\": \"gnss-1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] magic = "ORCHIDEQ".getBytes(StandardCharsets.US_ASCII);
        try (BrokerMailbox m = BrokerMailbox.open(mailboxes, () -> PROBE, broker());
             Tender guest = Tender.attach(BrokerMailbox.create(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1"))))) {
            guest.ask("BADMAGIC".getBytes(StandardCharsets.US_ASCII), 1, 1, read.length, read);
            assertThat(guest.answer(1)).contains("\"ok\":false", "\"code\":\"invalid\"", "\"field\":\"mailbox.magic\"", "BADMAGIC");
            guest.ask(magic, 2, 2, read.length, read);
            assertThat(guest.answer(2)).contains("\"field\":\"mailbox.version\"", "is 2, not 1");
            guest.ask(magic, 1, 3, 0, read);
            assertThat(guest.answer(3)).contains("\"field\":\"mailbox.length\"", "is 0; a request is 1 to 65536 bytes");
            guest.ask(magic, 1, 4, -1, read);
            assertThat(guest.answer(4)).contains("\"field\":\"mailbox.length\"", "is 4294967295;");
            guest.ask(magic, 1, 5, 3, "{\"i".getBytes(StandardCharsets.UTF_8));
            assertThat(guest.answer(5)).contains("\"code\":\"invalid\"", "\"field\":\"request\"", "is not JSON");
            guest.ask(6, "{\"id\": 1, \"verb\": \"read\", \"device\": \"gnss-1\"}");
            assertThat(guest.answer(6)).contains("\"ok\":true");
            // the first malformed request (the bad magic) is audited; the others of that minute are counted into the next
            assertThat(audit).containsExactly("request refused", "read allowed");
        }
    }

    @Test
    void aRequestLeftWhileTheAgentWasDownIsAnsweredAtOpenAndAnAnsweredOneIsNotAnsweredAgain() throws Exception {
        Path mailboxes = dir.resolve("app-probe.mbox");
        Path file = BrokerMailbox.create(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1")));
        try (Tender guest = Tender.attach(file)) {
            guest.ask(9, "{\"id\": \"early\", \"verb\": \"read\", \"device\": \"gnss-1\"}");
            try (BrokerMailbox m = BrokerMailbox.open(mailboxes, () -> PROBE, broker())) {
                assertThat(guest.answer(9)).contains("\"id\":\"early\"", "\"ok\":true");
            }
            // the agent restarts: the answer on file is the one the guest has, and the broker is not asked twice
            try (BrokerMailbox m = BrokerMailbox.open(mailboxes, () -> PROBE, broker(), Duration.ofMillis(20))) {
                guest.ask(10, "{\"id\": \"later\", \"verb\": \"read\", \"device\": \"gnss-1\"}");
                assertThat(guest.answer(10)).contains("\"id\":\"later\"");
            }
            assertThat(audit).containsExactly("read allowed", "read allowed");
        }
    }

    @Test
    void aLinkInTheMailboxDirectoryIsNeitherReadNorWritten() throws Exception {
        Path mailboxes = Files.createDirectories(dir.resolve("app-probe.mbox"));
        // a host file made to look like a mailbox with a pending request, reached through a link
        Path victim = BrokerMailbox.create(dir.resolve("host-file"));
        try (Tender t = Tender.attach(victim)) {
            t.ask(1, "{\"id\": 1, \"verb\": \"read\", \"device\": \"gnss-1\"}");
        }
        byte[] before = Files.readAllBytes(victim);
        Files.createSymbolicLink(mailboxes.resolve("0123456789abcdef.blk"), victim);
        try (BrokerMailbox m = BrokerMailbox.open(mailboxes, () -> PROBE, broker(), Duration.ofMillis(20));
             Tender guest = Tender.attach(BrokerMailbox.create(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1"))))) {
            // a request served after the link was seen (by the listing at open and by several re-checks)
            guest.ask(1, "{\"id\": 2, \"verb\": \"read\", \"device\": \"gnss-1\"}");
            assertThat(guest.answer(1)).contains("\"id\":2");
            // re-checks pass over the link meanwhile: what it points to stays as it was
            await().during(Duration.ofMillis(200)).until(() -> java.util.Arrays.equals(Files.readAllBytes(victim), before));
        }
        assertThat(audit).containsExactly("read allowed");
    }

    @Test
    void anAnswerLongerThanTheMailboxHoldsIsReplacedByAnErrorSayingSo() throws Exception {
        Path mailboxes = dir.resolve("app-probe.mbox");
        Broker broker = broker();
        broker.handleVerb("dump", (caller, req) -> VerbHandler.ok(req.get("id"), TwinHandler.JSON.createObjectNode()
                .put("bytes", "x".repeat(BrokerMailbox.MAX_ANSWER))));
        try (BrokerMailbox m = BrokerMailbox.open(mailboxes, () -> PROBE, broker);
             Tender guest = Tender.attach(BrokerMailbox.create(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1"))))) {
            guest.ask(1, "{\"id\": 3, \"verb\": \"dump\"}");
            assertThat(guest.answer(1)).contains("\"id\":3", "\"ok\":false", "\"code\":\"failed\"", "\"field\":\"answer\"",
                    "more than a mailbox holds (982016)");
        }
        assertThat(Files.size(BrokerMailbox.fileFor(mailboxes, dir.resolve("run-1")))).isEqualTo(BrokerMailbox.SIZE);
    }
}
