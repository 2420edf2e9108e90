package io.orchide.node.link;

import io.orchide.model.message.StatusReport;

import java.time.Clock;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Things the node did on ground's behalf (a desired change applied, refused or waiting for its image; an image
 * assembled or refused), kept until the next status report takes them. Bounded: the oldest are dropped first.
 */
final class NodeEvents {
    static final int MAX = 200;

    private final Deque<StatusReport.Event> events = new ArrayDeque<>();
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    NodeEvents(Clock clock) {
        this.clock = clock;
    }

    /** Asks {@code l} to be told after each event added. */
    void onAdded(Runnable l) {
        listeners.add(l);
    }

    void add(String subject, String message) {
        add(clock.instant(), subject, message);
    }

    /** Adds an event that happened at {@code at} (one summing up several, at the last of them). */
    void add(java.time.Instant at, String subject, String message) {
        synchronized (this) {
            if (events.size() == MAX) events.removeFirst();
            events.addLast(new StatusReport.Event(at, subject, message));
        }
        listeners.forEach(Runnable::run);
    }

    Clock clock() { return clock; }

    /** The events not yet reported, oldest first; they are gone from here once {@link #taken} confirms. */
    synchronized List<StatusReport.Event> peek() {
        return new ArrayList<>(events);
    }

    synchronized void taken(int count) {
        for (int i = 0; i < count && !events.isEmpty(); i++) events.removeFirst();
    }
}
