package io.orchide.node.pipeline.trigger;

import java.io.IOException;
import java.nio.file.Path;

/** A source of file events for the directories it watches, delivered on one thread of its own. */
interface FileEvents extends AutoCloseable {
    /** Receives the events; called on the source's own thread, in the order the kernel reported them. */
    interface Sink {
        void changed(Path dir, FileChange change, Path name);

        /** Events were lost: {@code dir}, or every watched directory when null, must be rescanned. */
        void overflowed(Path dir);
    }

    /** Watches {@code dir} (absolute, normalized): every change after this returns is delivered. */
    void watch(Path dir) throws IOException;

    /** Whether this source tells a renamed-in file from a created one and reports a writer's close. */
    boolean exact();

    @Override
    void close() throws IOException;
}
