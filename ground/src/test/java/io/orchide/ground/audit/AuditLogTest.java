package io.orchide.ground.audit;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit chain on SQLite and PostgreSQL: appends, tampering through plain SQL (each detected with the entry
 * named), retention's anchor, and the query filters.
 */
class AuditLogTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    MutableClock clock = new MutableClock(T0);
    final List<GroundDatabase> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(GroundDatabase::close);
    }

    GroundDatabase open(String backend) throws Exception {
        GroundDatabase db = backend.equals("sqlite") ? GroundDatabase.sqlite(tmp) : GroundDatabase.postgres(TestPostgres.newDatabase(), 4);
        opened.add(db);
        return db;
    }

    static AuditEntry entry(int i) {
        return new AuditEntry("dev-" + (i % 2), i % 3 == 0 ? null : "ocean-team", "get",
                "satellites/sat-1/workloads/w" + i, i % 4 == 3 ? Outcome.DENIED : Outcome.ALLOWED, "10.0.0." + i,
                i % 4 == 3 ? "developer may not get workloads of fire-team" : null);
    }

    AuditLog filled(GroundDatabase db, int n, AuditRetention retention) {
        AuditLog log = new AuditLog(db, clock, retention, false);
        for (int i = 1; i <= n; i++) {
            log.append(entry(i));
            clock.advance(Duration.ofSeconds(1));
        }
        return log;
    }

    static void sql(GroundDatabase db, String sql, Object... args) {
        db.tx(c -> io.orchide.ground.store.Sql.update(c, sql, args));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void appendsChainEachEntryToTheOneBefore(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = new AuditLog(db, clock, null);
        AuditRecord first = log.append(entry(1));
        clock.advance(Duration.ofMillis(1500));
        AuditRecord second = log.append(entry(2));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(first.time()).isEqualTo(T0);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isEqualTo(AuditChain.hash(2, T0.plusMillis(1500), entry(2), first.hash()));
        assertThat(log.head().seq()).isEqualTo(2);
        assertThat(log.head().hash()).isEqualTo(second.hash());

        Verification v = log.verify();
        assertThat(v.broken()).isNull();
        assertThat(v.checked()).isEqualTo(2);
        assertThat(log.query(AuditQuery.all(10))).extracting(AuditRecord::entry).containsExactly(entry(2), entry(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aBatchIsChainedInItsOrderAfterWhatCameBeforeInOneTime(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = new AuditLog(db, clock, null, false);
        AuditRecord single = log.append(entry(1));
        clock.advance(Duration.ofSeconds(2));
        List<AuditRecord> batch = log.appendAll(List.of(entry(2), entry(3), entry(4)));

        assertThat(batch).extracting(AuditRecord::seq).containsExactly(2L, 3L, 4L);
        assertThat(batch).extracting(AuditRecord::time).containsOnly(T0.plusSeconds(2));
        assertThat(batch.get(0).prevHash()).isEqualTo(single.hash());
        assertThat(batch.get(1).prevHash()).isEqualTo(batch.get(0).hash());
        assertThat(batch.get(2).hash()).isEqualTo(AuditChain.hash(4, T0.plusSeconds(2), entry(4), batch.get(1).hash()));
        assertThat(log.head().hash()).isEqualTo(batch.get(2).hash());
        assertThat(log.appendAll(List.of())).isEmpty();
        AuditRecord after = log.append(entry(5));
        assertThat(after.seq()).isEqualTo(5);
        assertThat(after.prevHash()).isEqualTo(batch.get(2).hash());

        Verification v = log.verify();
        assertThat(v.broken()).isNull();
        assertThat(v.checked()).isEqualTo(5);
        assertThat(log.query(AuditQuery.all(10))).extracting(AuditRecord::entry)
                .containsExactly(entry(5), entry(4), entry(3), entry(2), entry(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aBatchThatFailsAppendsNothing(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = new AuditLog(db, clock, null, false);
        log.append(entry(1));
        // a row of seq 3 already there makes the batch's second insert fail: the first must not stay either
        sql(db, "INSERT INTO audit_entry (seq, at, actor, verb, resource, outcome, prev_hash, hash) VALUES (3, 0, 'x', 'get', 'r', 'allowed', 'p', 'h')");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.appendAll(List.of(entry(2), entry(3))))
                .isInstanceOf(RuntimeException.class);
        assertThat(log.head().seq()).isEqualTo(1);
        assertThat(log.query(AuditQuery.all(10))).extracting(AuditRecord::seq).containsExactly(3L, 1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aDeletedEntryIsNamed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 6, null);
        sql(db, "DELETE FROM audit_entry WHERE seq = 3");
        assertBroken(log.verify(), Verification.Kind.MISSING, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void theNewestEntriesDeletedAreNamed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 6, null);
        sql(db, "DELETE FROM audit_entry WHERE seq >= 5");
        assertBroken(log.verify(), Verification.Kind.MISSING, 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anEditedFieldIsNamed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 6, null);
        sql(db, "UPDATE audit_entry SET outcome = 'allowed' WHERE seq = 3");
        assertBroken(log.verify(), Verification.Kind.ALTERED, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aNullMadeEmptyIsAnEdit(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 4, null);
        sql(db, "UPDATE audit_entry SET tenant = '' WHERE seq = 3"); // entry 3 is fleet-wide (no tenant)
        assertBroken(log.verify(), Verification.Kind.ALTERED, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anEditedFieldWithItsHashRecomputedIsNamed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 6, null);
        rehashWithActor(db, 3, "someone-else");
        assertBroken(log.verify(), Verification.Kind.ALTERED, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void theNewestEntryEditedWithItsHashRecomputedIsNamed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 6, null);
        rehashWithActor(db, 6, "someone-else");
        assertBroken(log.verify(), Verification.Kind.ALTERED, 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anEntryInsertedPastTheHeadIsNamed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 4, null);
        AuditLog.Head h = log.head();
        AuditEntry forged = entry(9);
        String hash = AuditChain.hash(5, clock.instant(), forged, h.hash());
        sql(db, "INSERT INTO audit_entry (seq, at, actor, tenant, verb, resource, outcome, source, detail, prev_hash, hash)"
                        + " VALUES (?,?,?,?,?,?,?,?,?,?,?)", 5L, clock.instant(), forged.actor(), forged.tenant(),
                forged.verb(), forged.resource(), forged.outcome().wire(), forged.source(), forged.detail(), h.hash(), hash);
        assertBroken(log.verify(), Verification.Kind.INSERTED, 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void retentionKeepsAnAnchorSoThatWhatRemainsStillVerifies(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 12, new AuditRetention(5, Duration.ofDays(30)));
        String hashOf7 = log.query(new AuditQuery(null, null, null, null, 8L, 1)).getFirst().hash();

        AuditLog.Pruned p = log.prune();

        assertThat(p.entries()).isEqualTo(7);
        assertThat(p.anchorSeq()).isEqualTo(7);
        assertThat(p.anchorHash()).isEqualTo(hashOf7);
        assertThat(log.query(AuditQuery.all(100))).extracting(AuditRecord::seq).containsExactly(12L, 11L, 10L, 9L, 8L);
        Verification v = log.verify();
        assertThat(v.broken()).isNull();
        assertThat(v.anchorSeq()).isEqualTo(7);
        assertThat(v.checked()).isEqualTo(5);
        assertThat(log.prune().entries()).isZero();

        // the oldest entry kept, deleted: a removal, not retention
        sql(db, "DELETE FROM audit_entry WHERE seq = 8");
        assertBroken(log.verify(), Verification.Kind.MISSING, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void retentionByAgeRemovesWhatIsOlderAndAppendsGoOnFromTheHead(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 3, new AuditRetention(1000, Duration.ofDays(7)));
        clock.advance(Duration.ofDays(8));
        log.append(entry(4));
        clock.advance(Duration.ofDays(1));

        assertThat(log.prune().entries()).isEqualTo(3);
        AuditRecord fifth = log.append(entry(5));

        assertThat(fifth.seq()).isEqualTo(5);
        assertThat(log.query(AuditQuery.all(100))).extracting(AuditRecord::seq).containsExactly(5L, 4L);
        assertThat(log.verify().broken()).isNull();
        assertThat(log.verify().anchorSeq()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anEntryPutBackBeforeTheAnchorIsNamed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 6, new AuditRetention(3, Duration.ofDays(30)));
        log.prune();
        sql(db, "INSERT INTO audit_entry (seq, at, actor, verb, resource, outcome, prev_hash, hash)"
                + " VALUES (2, 0, 'x', 'get', 'r', 'allowed', ?, ?)", AuditChain.GENESIS, AuditChain.GENESIS);
        assertBroken(log.verify(), Verification.Kind.INSERTED, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void retentionDoesNotMovePastADeletedEntry(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 10, new AuditRetention(2, Duration.ofDays(30)));
        sql(db, "DELETE FROM audit_entry WHERE seq = 5");

        assertThat(log.prune().anchorSeq()).isEqualTo(4);
        assertBroken(log.verify(), Verification.Kind.MISSING, 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void retentionRunsOnItsOwnAfterAppendsOnceAnHourHasPassed(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = new AuditLog(db, clock, new AuditRetention(2, Duration.ofDays(30)));
        for (int i = 1; i <= 6; i++) log.append(entry(i)); // the first runs retention (with nothing to remove yet)
        clock.advance(AuditLog.PRUNE_INTERVAL.plusSeconds(1));
        log.append(entry(7));
        await().until(() -> log.head().anchorSeq() == 5);
        assertThat(log.query(AuditQuery.all(10))).extracting(AuditRecord::seq).containsExactly(7L, 6L);
        assertThat(log.verify().broken()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void queriesFilterAndPageNewestFirst(String backend) throws Exception {
        GroundDatabase db = open(backend);
        AuditLog log = filled(db, 12, null); // entry i appended at T0 + (i-1) s
        assertThat(log.query(new AuditQuery(null, null, null, Outcome.DENIED, null, 100)))
                .extracting(AuditRecord::seq).containsExactly(11L, 7L, 3L);
        assertThat(log.query(new AuditQuery(null, "ocean-team", "dev-0", null, null, 100)))
                .extracting(AuditRecord::seq).containsExactly(10L, 8L, 4L, 2L);
        assertThat(log.query(new AuditQuery(T0.plusSeconds(9), null, null, null, null, 100)))
                .extracting(AuditRecord::seq).containsExactly(12L, 11L, 10L);
        List<AuditRecord> page1 = log.query(AuditQuery.all(5));
        List<AuditRecord> page2 = log.query(AuditQuery.all(5).before(page1.getLast().seq()));
        assertThat(page1).extracting(AuditRecord::seq).containsExactly(12L, 11L, 10L, 9L, 8L);
        assertThat(page2).extracting(AuditRecord::seq).containsExactly(7L, 6L, 5L, 4L, 3L);
        AuditRecord three = page2.getLast();
        assertThat(three.entry().tenant()).isNull();
        assertThat(three.entry().detail()).isEqualTo("developer may not get workloads of fire-team");
        assertThat(three.entry().source()).isEqualTo("10.0.0.3");
    }

    private static void assertBroken(Verification v, Verification.Kind kind, long seq) {
        assertThat(v.broken()).as("verification of a tampered log").isNotNull();
        assertThat(v.broken().kind()).isEqualTo(kind);
        assertThat(v.broken().seq()).isEqualTo(seq);
        assertThat(v.broken().message()).contains("entry " + seq);
    }

    /** What someone with the database's password could do: change a field and compute the entry's hash again. */
    private static void rehashWithActor(GroundDatabase db, long seq, String actor) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT at, tenant, verb, resource, outcome, source, detail, "
                    + "prev_hash FROM audit_entry WHERE seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String hash = AuditChain.hash(seq, rs.getLong(1), actor, rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                    return io.orchide.ground.store.Sql.update(c, "UPDATE audit_entry SET actor = ?, hash = ? WHERE seq = ?",
                            actor, hash, seq);
                }
            }
        });
    }
}
