package io.orchide.node.link;

import io.orchide.model.message.StatusReport;

/**
 * Whether the node's position is news enough to send a status report of its own: when the source changed, when the
 * source that answers changed (the receiver, or the TLE standing in for it), when a fix came or went, and once after
 * each contact's start (so that ground's position is as fresh as its last contact). Never merely because the
 * satellite moved: out of contact, reports only the newest of which matters would fill the link's queue. Every report
 * carries the position all the same. Thread-safe: contacts are told from the link's threads.
 */
final class PositionNews {
    private String lastSent; // the key of the position the last report carried; null before any
    private boolean contact;

    /** A contact started: the next report carries a fresh position whether or not it changed. */
    synchronized void contactOpened() {
        contact = true;
    }

    /** Whether {@code p} (null: the node reports none) alone is worth a report. */
    synchronized boolean due(StatusReport.Position p) {
        return p != null && (contact || !key(p).equals(lastSent));
    }

    /** A report carrying {@code p} was queued. */
    synchronized void sent(StatusReport.Position p) {
        if (p == null) return;
        lastSent = key(p);
        contact = false;
    }

    private static String key(StatusReport.Position p) {
        return p.source() + "|" + (p.fix() == null ? "none" : p.fix().from());
    }
}
