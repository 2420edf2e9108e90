package io.orchide.node.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows answered for before node.db has them: in node.db soon after, and through the agent's kill, exactly once. */
class RecordJournalTest {
    @TempDir
    Path dir;

    private Path dbFile() {
        return dir.resolve("node.db");
    }

    private Path journalFile() {
        return dir.resolve("node.journal");
    }

    /** Writes a journalled row as a grant use named by the payload. */
    private static RecordJournal.Applier rows(Database db) {
        return payload -> {
            try (PreparedStatement ps = db.connection().prepareStatement("INSERT INTO grant_use(grant_name, at) VALUES (?, 0)")) {
                ps.setString(1, new String(payload, StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
        };
    }

    private List<String> names(Database db) throws SQLException {
        List<String> out = new ArrayList<>();
        synchronized (db.lock()) {
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT grant_name FROM grant_use ORDER BY id")) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void appendedRowsAreInNodeDbInTheirOrderOnceFlushed() throws Exception {
        try (Database db = Database.open(dbFile());
             RecordJournal j = RecordJournal.open(journalFile(), db).register("row", rows(db))) {
            j.start();
            for (int i = 0; i < 50; i++) j.append("row", ("r" + i).getBytes(StandardCharsets.UTF_8));
            j.flush();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) expected.add("r" + i);
            assertThat(names(db)).isEqualTo(expected);
        }
        assertThat(Files.size(journalFile())).isEqualTo(RecordJournal.SIZE);
    }

    @Test
    void aRingThatWrapsManyTimesLosesAndRepeatsNothingThroughAReopen() throws Exception {
        try (Database db = Database.open(dbFile());
             RecordJournal j = RecordJournal.open(journalFile(), db, 4096).register("row", rows(db))) {
            j.start();
            for (int i = 0; i < 400; i++) j.append("row", ("row-number-" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (Database db = Database.open(dbFile());
             RecordJournal j = RecordJournal.open(journalFile(), db, 4096).register("row", rows(db))) {
            j.start();
            List<String> got = names(db);
            assertThat(got).hasSize(400).doesNotHaveDuplicates();
            assertThat(got.getLast()).isEqualTo("row-number-399");
        }
    }

    @Test
    void rowsAppendedByAnAgentKilledBeforeItsTransactionAreWrittenByTheNextOneExactlyOnce() throws Exception {
        Database.open(dbFile()).close(); // made and migrated
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AppendThenHalt.class.getName(), dbFile().toString(), journalFile().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(137);
        assertThat(out).contains("appended 3");

        try (Database db = Database.open(dbFile())) {
            assertThat(names(db)).as("the killed agent's transaction never committed").isEmpty();
            try (RecordJournal j = RecordJournal.open(journalFile(), db).register("row", rows(db))) {
                j.start();
                assertThat(names(db)).containsExactly("k0", "k1", "k2");
                j.append("row", "after".getBytes(StandardCharsets.UTF_8));
            }
        }
        try (Database db = Database.open(dbFile());
             RecordJournal j = RecordJournal.open(journalFile(), db).register("row", rows(db))) {
            j.start();
            assertThat(names(db)).as("none written twice").containsExactly("k0", "k1", "k2", "after");
        }
    }

    @Test
    void aTornEntryEndsTheReadingAndTheEntriesBeforeItAreWritten() throws Exception {
        Database.open(dbFile()).close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AppendThenHalt.class.getName(), dbFile().toString(), journalFile().toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // the third entry's last byte (its check) flipped, as a write cut short would leave it
        int entry = 4 + 8 + 2 + "row".length() + 4 + 2 + 4;
        try (RandomAccessFile f = new RandomAccessFile(journalFile().toFile(), "rw")) {
            f.seek(3L * entry - 1);
            int b = f.read();
            f.seek(3L * entry - 1);
            f.write(b ^ 0xFF);
        }
        try (Database db = Database.open(dbFile());
             RecordJournal j = RecordJournal.open(journalFile(), db).register("row", rows(db))) {
            j.start();
            assertThat(names(db)).containsExactly("k0", "k1");
        }
    }

    /** Appends three rows whose transaction never commits (its applier waits), then halts as kill -9 would end it. */
    static final class AppendThenHalt {
        public static void main(String[] args) throws Exception {
            Database db = Database.open(Path.of(args[0]));
            RecordJournal j = RecordJournal.open(Path.of(args[1]), db).register("row", payload -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            j.start();
            for (int i = 0; i < 3; i++) j.append("row", ("k" + i).getBytes(StandardCharsets.UTF_8));
            System.out.println("appended " + 3);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
