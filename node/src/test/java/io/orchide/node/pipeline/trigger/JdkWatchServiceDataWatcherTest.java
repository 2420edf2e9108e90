package io.orchide.node.pipeline.trigger;

import org.junit.jupiter.api.Disabled;

import java.io.IOException;
import java.time.Clock;

/**
 * The same behaviour on the fallback where the inotify helper cannot run (no C compiler at build time, not Linux):
 * the JDK's WatchService, which cannot tell a rename from a creation and never reports a close.
 */
class JdkWatchServiceDataWatcherTest extends DataWatcherTest {
    @Override
    DataWatcher startWatcher(WatchSettings settings) throws IOException {
        return DataWatcher.start(ledgerForTest(), Clock.systemUTC(), settings, JdkFileEvents::new);
    }

    @Override
    @Disabled("the WatchService fallback is not inotify")
    void onLinuxTheWatcherReadsInotifyThroughTheBundledHelper() {
    }

    @Override
    @Disabled("the WatchService reports a rename as a creation: a renamed-in file waits the settle time")
    void aRenamedInFileFiresAtOnceWithoutAnySettle() {
    }

    @Override
    @Disabled("the WatchService never reports a close: a paused writer's file fires after the quiet period")
    void aFileStillOpenForWritingFiresOnlyOnceItsWriterClosedIt() {
    }

    @Override
    @Disabled("the WatchService starts no helper process")
    void theHelperProcessStartsWithTheFirstSubscriptionAndEndsWithTheLastOrWhenTheWatcherCloses() {
    }
}
