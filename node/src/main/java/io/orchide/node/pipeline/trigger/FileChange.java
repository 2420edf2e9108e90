package io.orchide.node.pipeline.trigger;

/** What happened to an entry of a watched directory, as precisely as the event source can tell. */
enum FileChange {
    /** Created or renamed in: the JDK's WatchService cannot tell which. */
    APPEARED,
    /** Created in place (inotify IN_CREATE): a writer may follow. */
    CREATED,
    /** Renamed into the directory (inotify IN_MOVED_TO): complete by the writer's own convention. */
    MOVED_IN,
    /** Written to. */
    WRITTEN,
    /** A writer closed it (inotify IN_CLOSE_WRITE). */
    CLOSED
}
