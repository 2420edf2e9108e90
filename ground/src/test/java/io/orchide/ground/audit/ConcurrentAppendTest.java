package io.orchide.ground.audit;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ground replicas (two pools on one database, as two processes would have) appending from two threads each at
 * once: the chain stays one line, every entry chained to the one before it, no sequence number given twice.
 */
class ConcurrentAppendTest {
    static final int PER_WRITER = 40;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "sqlite"})
    void twoReplicasAppendingAtOnceKeepOneChain(String backend) throws Exception {
        String url = backend.equals("postgres") ? TestPostgres.newDatabase() : null;
        try (GroundDatabase a = GroundDatabase.open(tmp, url); GroundDatabase b = GroundDatabase.open(tmp, url)) {
            List<AuditLog> writers = List.of(new AuditLog(a, Clock.systemUTC(), null, false),
                    new AuditLog(a, Clock.systemUTC(), null, false), new AuditLog(b, Clock.systemUTC(), null, false),
                    new AuditLog(b, Clock.systemUTC(), null, false));
            ExecutorService pool = Executors.newFixedThreadPool(writers.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<AuditRecord>>> done = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                AuditLog log = writers.get(w);
                String actor = "writer-" + w;
                done.add(pool.submit(() -> {
                    go.await();
                    List<AuditRecord> mine = new ArrayList<>();
                    for (int i = 0; i < PER_WRITER; i++) {
                        mine.add(log.append(new AuditEntry(actor, "ocean-team", "apply", "apps/a" + i, Outcome.ALLOWED,
                                "127.0.0.1", null)));
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<AuditRecord> all = new ArrayList<>();
            for (Future<List<AuditRecord>> f : done) all.addAll(f.get());
            pool.shutdown();

            int n = writers.size() * PER_WRITER;
            assertThat(all).extracting(AuditRecord::seq).doesNotHaveDuplicates().hasSize(n)
                    .allMatch(s -> s >= 1 && s <= n);
            assertThat(all).extracting(AuditRecord::prevHash).doesNotHaveDuplicates(); // no fork: one successor each
            AuditLog reader = writers.getFirst();
            assertThat(reader.head().seq()).isEqualTo(n);
            Verification v = reader.verify();
            assertThat(v.broken()).isNull();
            assertThat(v.checked()).isEqualTo(n);
            // each writer's own entries are in the order it appended them
            for (int w = 0; w < writers.size(); w++) {
                String actor = "writer-" + w;
                List<Long> seqs = all.stream().filter(r -> r.entry().actor().equals(actor)).map(AuditRecord::seq).toList();
                assertThat(seqs).isSorted();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "sqlite"})
    void twoReplicasAppendingBatchesAtOnceKeepOneChain(String backend) throws Exception {
        String url = backend.equals("postgres") ? TestPostgres.newDatabase() : null;
        try (GroundDatabase a = GroundDatabase.open(tmp, url); GroundDatabase b = GroundDatabase.open(tmp, url)) {
            List<AuditLog> writers = List.of(new AuditLog(a, Clock.systemUTC(), null, false),
                    new AuditLog(b, Clock.systemUTC(), null, false), new AuditLog(b, Clock.systemUTC(), null, false));
            int batches = 15, size = 4;
            ExecutorService pool = Executors.newFixedThreadPool(writers.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<AuditRecord>>> done = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                AuditLog log = writers.get(w);
                String actor = "writer-" + w;
                done.add(pool.submit(() -> {
                    go.await();
                    List<AuditRecord> mine = new ArrayList<>();
                    for (int i = 0; i < batches; i++) {
                        List<AuditEntry> batch = new ArrayList<>();
                        for (int j = 0; j < size; j++) {
                            batch.add(new AuditEntry(actor, "ocean-team", "get", "apps/a" + i + "-" + j, Outcome.ALLOWED,
                                    "127.0.0.1", null));
                        }
                        List<AuditRecord> r = log.appendAll(batch);
                        // a batch is one run of the chain: consecutive numbers, each chained to the one before
                        for (int j = 1; j < r.size(); j++) {
                            assertThat(r.get(j).seq()).isEqualTo(r.get(j - 1).seq() + 1);
                            assertThat(r.get(j).prevHash()).isEqualTo(r.get(j - 1).hash());
                        }
                        mine.addAll(r);
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<AuditRecord> all = new ArrayList<>();
            for (Future<List<AuditRecord>> f : done) all.addAll(f.get());
            pool.shutdown();

            int n = writers.size() * batches * size;
            assertThat(all).extracting(AuditRecord::seq).doesNotHaveDuplicates().hasSize(n)
                    .allMatch(s -> s >= 1 && s <= n);
            assertThat(all).extracting(AuditRecord::prevHash).doesNotHaveDuplicates();
            Verification v = writers.getFirst().verify();
            assertThat(v.broken()).isNull();
            assertThat(v.checked()).isEqualTo(n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "sqlite"})
    void retentionAndVerificationWhileReplicasAppendSeeAnIntactChain(String backend) throws Exception {
        String url = backend.equals("postgres") ? TestPostgres.newDatabase() : null;
        AuditRetention keep = new AuditRetention(30, java.time.Duration.ofDays(1));
        try (GroundDatabase a = GroundDatabase.open(tmp, url); GroundDatabase b = GroundDatabase.open(tmp, url)) {
            List<AuditLog> writers = List.of(new AuditLog(a, Clock.systemUTC(), keep, false),
                    new AuditLog(b, Clock.systemUTC(), keep, false));
            AuditLog checker = new AuditLog(b, Clock.systemUTC(), keep, false);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                AuditLog log = writers.get(w);
                String actor = "writer-" + w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < PER_WRITER * 2; i++) {
                        log.append(new AuditEntry(actor, null, "get", "satellites", Outcome.ALLOWED, null, null));
                    }
                    return null;
                }));
            }
            List<Verification> seen = new ArrayList<>();
            Future<?> checks = pool.submit(() -> {
                do {
                    checker.prune();
                    seen.add(checker.verify());
                } while (!done.stream().allMatch(Future::isDone));
                return null;
            });
            for (Future<?> f : done) f.get();
            checks.get();
            pool.shutdown();

            assertThat(seen).isNotEmpty().allSatisfy(v -> assertThat(v.broken()).isNull());
            checker.prune();
            Verification last = checker.verify();
            assertThat(last.broken()).isNull();
            assertThat(last.headSeq()).isEqualTo(2L * 2 * PER_WRITER);
            assertThat(last.anchorSeq()).isEqualTo(last.headSeq() - 30);
            assertThat(last.checked()).isEqualTo(30);
        }
    }
}
