package io.orchide.node.pipeline.trigger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PendingFilesTest {
    private static final WatchSettings SETTINGS =
            new WatchSettings(Duration.ofMillis(20), Duration.ofHours(1), Duration.ofSeconds(1));

    @TempDir
    Path dir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Queue<Path> fired = new ConcurrentLinkedQueue<>();
    private final PendingFiles pending = new PendingFiles(timer, SETTINGS, (file, attrs) -> fired.add(file));

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private void onTimer(Runnable r) throws Exception {
        timer.submit(r).get();
    }

    @Test
    void aFileHeldOpenWaitsForItsCloseAndAfterLostEventsForTheQuietPeriodOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("held.raw"), "x");
        onTimer(() -> pending.touch(file, true, true));
        // fifty quiet periods: an open file must not fire however long its writer pauses
        Thread.sleep(1000);
        assertThat(fired).isEmpty();
        // the close was lost in an overflow: the file fires after a quiet period instead of never
        onTimer(pending::forgetWriters);
        await().atMost(Duration.ofSeconds(30)).until(() -> fired.size() == 1);
        assertThat(fired).containsExactly(file);
    }

    @Test
    void aFileRenamedInFiresAtOnceAndCancelsItsWait() throws Exception {
        Path file = Files.writeString(dir.resolve("scene.dat"), "x");
        onTimer(() -> pending.touch(file, false));
        onTimer(() -> pending.movedIn(file));
        assertThat(fired).containsExactly(file);
        onTimer(() -> assertThat(pending.has(file)).isFalse());
    }
}
