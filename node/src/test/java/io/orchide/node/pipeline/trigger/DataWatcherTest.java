package io.orchide.node.pipeline.trigger;

import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DataWatcherTest {
    private static final WatchSettings SETTINGS =
            new WatchSettings(Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofMillis(300));

    @TempDir
    Path tmp;
    private Path dir;
    private NodeDatabase nodeDb;
    private Database db;
    private FiredFiles ledger;
    private DataWatcher watcher;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

    record Seen(DataEvent event) {
    }

    private final DataSubscriber record = (e, tx) -> seen.add(new Seen(e));

    @BeforeEach
    void open() throws Exception {
        dir = Files.createDirectory(tmp.resolve("sensor"));
        start();
    }

    private void start() throws Exception {
        start(SETTINGS);
    }

    private void start(WatchSettings settings) throws Exception {
        nodeDb = NodeDatabase.open(NodeLayout.of(tmp));
        db = nodeDb.writer();
        ledger = FiredFiles.open(nodeDb, Clock.systemUTC());
        watcher = startWatcher(settings);
    }

    FiredFiles ledgerForTest() {
        return ledger;
    }

    /** The watcher under test: the agent's own choice, inotify through the bundled helper on Linux. */
    DataWatcher startWatcher(WatchSettings settings) throws IOException {
        return DataWatcher.start(ledger, Clock.systemUTC(), settings);
    }

    private void restartWith(WatchSettings settings) throws Exception {
        stop();
        start(settings);
    }

    @AfterEach
    void stop() throws Exception {
        watcher.close();
        ledger.close();
        nodeDb.close();
    }

    private List<String> names() {
        return seen.stream().map(s -> s.event().path().getFileName().toString()).toList();
    }

    void renameIn(String name, String content) throws IOException {
        Path staged = Files.writeString(dir.resolve("." + name + ".tmp"), content);
        Files.move(staged, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static void quietly(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    @Test
    void aFileRenamedInFiresOnceWithoutWaitingForTheQuietPeriod() throws Exception {
        // a quiet period of an hour: the event can only come from the rename, however slow the machine
        restartWith(new WatchSettings(Duration.ofHours(1), Duration.ofMillis(20), Duration.ofMillis(300)));
        watcher.watch("p", dir, "*", record);
        renameIn("scene-1.dat", "pixels");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        Seen s = seen.peek();
        assertThat(s.event().subscriber()).isEqualTo("p");
        assertThat(s.event().path()).isEqualTo(dir.resolve("scene-1.dat").toAbsolutePath());
        assertThat(s.event().size()).isEqualTo(6);
        quietly(500);
        assertThat(names()).containsExactly("scene-1.dat");
    }

    @Test
    void aFileWrittenSlowlyFiresOnceAfterItsLastChunk() throws Exception {
        // chunks 50 ms apart against a quiet period of 3 s: only a stall of 3 s between two writes could fire early
        restartWith(new WatchSettings(Duration.ofSeconds(3), Duration.ofMillis(20), Duration.ofMillis(300)));
        watcher.watch("p", dir, "*.raw", record);
        try (FileChannel ch = FileChannel.open(dir.resolve("slow.raw"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            for (int i = 0; i < 5; i++) {
                ch.write(ByteBuffer.wrap(new byte[1000]));
                quietly(50);
                assertThat(seen).as("fired before chunk %d", i + 2).isEmpty();
            }
            ch.write(ByteBuffer.wrap(new byte[1000]));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        Seen s = seen.peek();
        // the event describes the whole file: it fired after the last chunk, not on an earlier one
        assertThat(s.event().size()).isEqualTo(6000);
        assertThat(s.event().modified()).isEqualTo(Files.getLastModifiedTime(dir.resolve("slow.raw")).toInstant());
        quietly(500);
        assertThat(seen).hasSize(1);
    }

    @Test
    void hiddenAndTemporaryNamesNeverFire() throws Exception {
        watcher.watch("p", dir, "*", record);
        Files.writeString(dir.resolve(".hidden"), "x");
        Files.writeString(dir.resolve("scene.part"), "x");
        Files.writeString(dir.resolve("scene.tmp"), "x");
        Files.createDirectory(dir.resolve("subdir"));
        renameIn("ok.dat", "x");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        quietly(500);
        assertThat(names()).containsExactly("ok.dat");
    }

    @Test
    void onlyNamesMatchingTheGlobFireAndEachSubscriberGetsItsOwn() throws Exception {
        watcher.watch("tif", dir, "*.tif", record);
        watcher.watch("img", dir, "img-{a,b}.*", record);
        renameIn("img-a.tif", "x");
        renameIn("img-c.tif", "x");
        renameIn("img-b.jpg", "x");
        renameIn("notes.TIF", "x");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 4);
        quietly(500);
        assertThat(seen).map(s -> s.event().subscriber() + ":" + s.event().path().getFileName())
                .containsExactlyInAnyOrder("tif:img-a.tif", "tif:img-c.tif", "img:img-a.tif", "img:img-b.jpg");
    }

    @Test
    void aBurstOfAThousandFilesGivesAThousandEventsWithoutDuplicates() throws Exception {
        watcher.watch("p", dir, "*.dat", record);
        Thread[] writers = new Thread[2];
        for (int t = 0; t < writers.length; t++) {
            int first = t * 500;
            writers[t] = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = first; i < first + 500; i++) renameIn("f-%04d.dat".formatted(i), "data " + i);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (Thread w : writers) w.join();
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= 1000);
        quietly(500);
        assertThat(seen).hasSize(1000);
        assertThat(names()).doesNotHaveDuplicates();
        System.out.println("burst: 1000 files, " + seen.size() + " events, overflows " + watcher.overflows());
    }

    @Test
    void afterARestartOnlyFilesThatArrivedMeanwhileFire() throws Exception {
        watcher.watch("p", dir, "*", record);
        renameIn("a.dat", "a");
        renameIn("b.dat", "b");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 2);
        stop();
        renameIn("c.dat", "c");
        Files.delete(dir.resolve("b.dat"));
        seen.clear();

        start();
        watcher.watch("p", dir, "*", record);
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        quietly(500);
        assertThat(names()).containsExactly("c.dat");
        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows() == 2);
    }

    @Test
    void aFailingSubscriberLeavesNoTraceAndGetsTheFileAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        watcher.watch("p", dir, "*", (e, tx) -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("engine busy");
            record.onData(e, tx);
        });
        renameIn("a.dat", "a");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        quietly(500);
        assertThat(calls).hasValue(2);
        assertThat(names()).containsExactly("a.dat");
        assertThat(ledgerRows()).isEqualTo(1);
    }

    @Test
    void onLinuxTheWatcherReadsInotifyThroughTheBundledHelper() throws Exception {
        watcher.watch("p", dir, "*.dat", record);
        assertThat(watcher.exactEvents()).as("inotify helper built into the runtime jar and started").isTrue();
    }

    @Test
    void eventsAreReadOnlyFromTheFirstSubscriptionToTheLastAndAgainForANewOne() throws Exception {
        assertThat(watcher.eventsOpen()).as("before any subscription").isFalse();
        watcher.watch("p", dir, "*.dat", record);
        watcher.watch("q", dir, "*.raw", record);
        assertThat(watcher.eventsOpen()).isTrue();
        watcher.unwatch("p");
        assertThat(watcher.eventsOpen()).as("q still subscribed").isTrue();
        watcher.unwatch("q");
        assertThat(watcher.eventsOpen()).as("after the last subscription").isFalse();

        watcher.watch("r", dir, "*.dat", record);
        assertThat(watcher.eventsOpen()).isTrue();
        renameIn("scene-1.dat", "pixels");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        assertThat(seen.peek().event().subscriber()).isEqualTo("r");
    }

    @Test
    void aRenamedInFileFiresAtOnceWithoutAnySettle() throws Exception {
        // settle and quiet period of an hour: only the rename event itself can fire the file
        restartWith(new WatchSettings(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(300)));
        watcher.watch("p", dir, "*", record);
        renameIn("scene-1.dat", "pixels");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        assertThat(seen.peek().event().size()).isEqualTo(6);
    }

    @Test
    void aFileStillOpenForWritingFiresOnlyOnceItsWriterClosedIt() throws Exception {
        // a quiet period of 50 ms: a writer pausing twenty times as long must still not see its file fire
        restartWith(new WatchSettings(Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(300)));
        watcher.watch("p", dir, "*.raw", record);
        try (FileChannel ch = FileChannel.open(dir.resolve("held.raw"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1000]));
            quietly(1000);
            assertThat(seen).as("fired while its writer still held it open").isEmpty();
            ch.write(ByteBuffer.wrap(new byte[1000]));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        assertThat(seen.peek().event().size()).isEqualTo(2000);
    }

    @Test
    void aNameWithATabANewlineAndNonAsciiLettersFiresUnchanged() throws Exception {
        watcher.watch("p", dir, "*.dat", record);
        renameIn("scène\tA\nB.dat", "x");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        assertThat(seen.peek().event().path()).isEqualTo(dir.resolve("scène\tA\nB.dat").toAbsolutePath());
    }

    @Test
    void theHelperProcessStartsWithTheFirstSubscriptionAndEndsWithTheLastOrWhenTheWatcherCloses() throws Exception {
        assertThat(helpers()).as("an agent without onData triggers").isEmpty();
        watcher.watch("p", dir, "*.dat", record);
        assertThat(helpers()).hasSize(1);
        watcher.unwatch("p");
        assertThat(helpers()).isEmpty();

        watcher.watch("p", dir, "*.dat", record);
        assertThat(helpers()).hasSize(1);
        watcher.close();
        assertThat(helpers()).isEmpty();
        start();
    }

    private static List<ProcessHandle> helpers() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").contains("/" + InotifyFileEvents.FILE_NAME)).toList();
    }

    private int ledgerRows() throws Exception {
        Connection c = db.connection();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM fired_file")) {
            return rs.getInt(1);
        }
    }
}
