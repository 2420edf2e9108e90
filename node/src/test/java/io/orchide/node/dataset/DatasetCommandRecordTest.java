package io.orchide.node.dataset;

import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetResult;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.orchide.node.dataset.Datasets.dataset;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dataset commands taken as the link delivers them, over a real node.db: each done once across a reopening of the
 * database, puts of uplinked content (waiting for it, refused early, written with lineage), and gets too large for
 * their answer handed to the downlink.
 */
class DatasetCommandRecordTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path tmp;

    /** Uplinked image content by reference, as the node's image store would hold it once whole. */
    private final Map<String, Path> content = new HashMap<>();
    private final List<String> sentDown = new ArrayList<>();

    private DatasetCommands commands(NodeLayout layout, NodeDatabase db, DatasetRegistry registry) {
        DatasetCommands.Downlink downlink = new DatasetCommands.Downlink() {
            @Override
            public void send(DatasetCommand c, Path file, long bytes) {
                sentDown.add(c.id() + " " + file.getFileName() + " " + bytes);
            }

            @Override
            public long maxBytes() {
                return 4L << 20;
            }
        };
        return new DatasetCommands(new DatasetFiles(layout, registry, new DatasetLineage(db.writer())), "node-a", CLOCK,
                new DatasetCommandLog(db.writer(), CLOCK), ref -> Optional.ofNullable(content.get(ref)), downlink);
    }

    @Test
    void aMoveDeliveredAgainAfterTheDatabaseIsReopenedIsAnsweredFromTheRecordNotDoneTwice() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        DatasetCommand mv = new DatasetCommand(7, DatasetCommand.MV, "ocean", "scenes", "a.pgm", "archive", null, NOW);
        DatasetResult first;
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, CLOCK);
            registry.apply(dataset("scenes", "ocean", "quota: {files: 5}"));
            registry.apply(dataset("archive", "ocean", "quota: {files: 5}"));
            Files.write(layout.dataset("scenes").resolve("a.pgm"), new byte[] {1, 2, 3});
            first = commands(layout, db, registry).take(mv).orElseThrow();
            assertThat(first.outcome()).isEqualTo(DatasetResult.DONE);
        }
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, CLOCK);
            // a file of that name back in the source: a second move would take it; the record must stop that
            Files.write(layout.dataset("scenes").resolve("a.pgm"), new byte[] {9});

            DatasetResult again = commands(layout, db, registry).take(mv).orElseThrow();

            assertThat(again).isEqualTo(first);
            assertThat(again.message()).isEqualTo("moved scenes/a.pgm to archive/a.pgm");
            assertThat(layout.dataset("scenes").resolve("a.pgm")).hasBinaryContent(new byte[] {9});
            assertThat(layout.dataset("archive").resolve("a.pgm")).hasBinaryContent(new byte[] {1, 2, 3});
        }
    }

    @Test
    void aMoveCutByACrashAfterItsRenameIsFinishedAsDoneWhenDeliveredAgain() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        DatasetCommand mv = new DatasetCommand(8, DatasetCommand.MV, "ocean", "scenes", "a.pgm", "archive", null, NOW);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, CLOCK);
            registry.apply(dataset("scenes", "ocean", "quota: {files: 5}"));
            registry.apply(dataset("archive", "ocean", "quota: {files: 5}"));
            // the state a crash leaves between the move on disk and its answer recorded
            new DatasetCommandLog(db.writer(), CLOCK).mark(mv, DatasetCommandLog.STARTED);
            Files.write(layout.dataset("archive").resolve("a.pgm"), new byte[] {1});
        }
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetResult r = commands(layout, db, new DatasetRegistry(db.writer(), layout, CLOCK)).take(mv)
                    .orElseThrow();

            assertThat(r.outcome()).isEqualTo(DatasetResult.DONE);
            assertThat(r.message()).isEqualTo("moved scenes/a.pgm to archive/a.pgm (finished before the node restarted)");
            assertThat(new DatasetCommandLog(db.writer(), CLOCK).find(8).orElseThrow().state())
                    .isEqualTo(DatasetCommandLog.DONE);
        }
    }

    @Test
    void aPutWaitsForItsContentThenWritesTheFileWithItsUplinkLineage() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        byte[] bytes = "P5 2 1 255\n\1\2".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String ref = "sha256:" + sha256(bytes);
        DatasetCommand put = new DatasetCommand(9, DatasetCommand.PUT, "ocean", "scenes", "a.pgm", null, null, NOW,
                ref, (long) bytes.length, "alice");
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, CLOCK);
            registry.apply(dataset("scenes", "ocean", "quota: {files: 5}"));
            DatasetCommands commands = commands(layout, db, registry);

            assertThat(commands.take(put)).isEmpty();
            assertThat(commands.contentArrived()).isEmpty();
            assertThat(layout.dataset("scenes").resolve("a.pgm")).doesNotExist();
        }
        try (NodeDatabase db = NodeDatabase.open(layout)) { // still waiting after a restart
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, CLOCK);
            DatasetCommands commands = commands(layout, db, registry);
            assertThat(commands.waiting()).extracting(DatasetCommand::id).containsExactly(9L);
            Path image = Files.write(tmp.resolve("image"), bytes);
            content.put(ref, image);

            List<DatasetResult> done = commands.contentArrived();

            assertThat(done).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(DatasetResult.DONE);
                assertThat(r.message()).isEqualTo("put scenes/a.pgm (" + bytes.length + " bytes, " + ref + ")");
            });
            assertThat(layout.dataset("scenes").resolve("a.pgm")).hasBinaryContent(bytes);
            try (var files = Files.list(layout.dataset("scenes"))) { // no part left under a hidden name
                assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".a.pgm.part");
            }
            DatasetFileLineage l = new DatasetFiles(layout, registry, new DatasetLineage(db.writer()))
                    .file("scenes", "a.pgm").lineage().orElseThrow();
            assertThat(l.uplinkedBy()).isEqualTo("alice");
            assertThat(l.sha256()).isEqualTo(sha256(bytes));
            assertThat(l.tenant()).isEqualTo("ocean");
            assertThat(commands.waiting()).isEmpty();
            assertThat(commands.take(put).orElseThrow()).isEqualTo(done.getFirst());
        }
    }

    @Test
    void aPutOverTheQuotaOrByATenantThatMayNotWriteIsRefusedBeforeItsContentComes() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, CLOCK);
            registry.apply(dataset("scenes", "ocean", "quota: {bytes: 100}"));
            Files.write(layout.dataset("scenes").resolve("old.pgm"), new byte[40]);
            DatasetCommands commands = commands(layout, db, registry);
            String ref = "sha256:" + "ab".repeat(32);

            DatasetResult over = commands.take(new DatasetCommand(10, DatasetCommand.PUT, "ocean", "scenes", "b.pgm",
                    null, null, NOW, ref, 70L, "alice")).orElseThrow();
            DatasetResult stranger = commands.take(new DatasetCommand(11, DatasetCommand.PUT, "fire", "scenes",
                    "c.pgm", null, null, NOW, ref, 1L, "bob")).orElseThrow();

            assertThat(over.outcome()).isEqualTo(DatasetResult.FAILED);
            assertThat(over.message()).isEqualTo("dataset scenes would go over its quota of bytes: quota 100, use 40, "
                    + "request 70");
            assertThat(stranger.message()).isEqualTo("dataset: is not a dataset tenant fire may change (got scenes)");
            assertThat(commands.waiting()).isEmpty();
        }
    }

    @Test
    void aGetOfAFileOverTheAnswersLimitGoesToTheDownlinkAndItsAnswerSaysSo() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetRegistry registry = new DatasetRegistry(db.writer(), layout, CLOCK);
            registry.apply(dataset("scenes", "ocean", "quota: {files: 5}"));
            Files.write(layout.dataset("scenes").resolve("big.pgm"), new byte[DatasetResult.MAX_CONTENT + 1]);
            Files.write(layout.dataset("scenes").resolve("huge.pgm"), new byte[(4 << 20) + 1]);
            DatasetCommands commands = commands(layout, db, registry);

            DatasetResult big = commands.take(new DatasetCommand(12, DatasetCommand.GET, "ocean", "scenes", "big.pgm",
                    null, null, NOW)).orElseThrow();
            DatasetResult huge = commands.take(new DatasetCommand(13, DatasetCommand.GET, "ocean", "scenes",
                    "huge.pgm", null, null, NOW)).orElseThrow();

            assertThat(big.outcome()).isEqualTo(DatasetResult.DONE);
            assertThat(big.content()).isNull();
            assertThat(big.downlink()).isEqualTo(DatasetResult.MAX_CONTENT + 1L);
            assertThat(sentDown).containsExactly("12 big.pgm " + (DatasetResult.MAX_CONTENT + 1));
            assertThat(huge.outcome()).isEqualTo(DatasetResult.FAILED);
            assertThat(huge.message()).isEqualTo("file: is 4194305 bytes, more than the 4194304 a get brings down "
                    + "(got huge.pgm)");
        }
    }

    @Test
    void anAnswerIsKeptTwiceAsLongAsItsCommandCanStillArriveThenForgotten() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        io.orchide.testkit.MutableClock clock = new io.orchide.testkit.MutableClock(NOW);
        try (NodeDatabase db = NodeDatabase.open(layout)) {
            DatasetCommandLog log = new DatasetCommandLog(db.writer(), clock);
            DatasetCommand ls = new DatasetCommand(20, DatasetCommand.LS, null, null, null, null, null, NOW);
            log.done(ls, new DatasetResult(20, "node-a", DatasetResult.DONE, "listed", NOW, List.of()));
            clock.advance(java.time.Duration.ofDays(13));
            DatasetCommand next = new DatasetCommand(21, DatasetCommand.LS, null, null, null, null, null, NOW);
            log.done(next, new DatasetResult(21, "node-a", DatasetResult.DONE, "listed", NOW, List.of()));
            assertThat(log.find(20)).isPresent();

            clock.advance(java.time.Duration.ofDays(2)); // 15 days: past twice the command bundle's 7-day life
            log.done(new DatasetCommand(22, DatasetCommand.LS, null, null, null, null, null, NOW),
                    new DatasetResult(22, "node-a", DatasetResult.DONE, "listed", NOW, List.of()));

            assertThat(log.find(20)).isEmpty();
            assertThat(log.find(21)).isPresent();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
