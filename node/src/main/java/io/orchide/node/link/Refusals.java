package io.orchide.node.link;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sessions refused to the node since its last session began, one entry per peer and reason: a node refused by a
 * replica while another's lease runs, or by a replica without its database, redials every few seconds and would
 * otherwise be one event per redial. The lease's expiry, which changes at every refusal, is left out of what makes two
 * refusals the same; its holder is kept, so that a lease passing to another replica is an entry of its own. Bounded:
 * past {@link #MAX} reasons the oldest is dropped.
 */
final class Refusals {
    static final int MAX = 32;
    private static final Pattern EXPIRY = Pattern.compile(" that expires at \\S+ \\(in [0-9.]+ s\\)");

    /**
     * Refused {@code count} times between {@code first} and {@code last}; {@code reason} as the last refusal gave it;
     * by the peer, or by this node ({@code ours}: a peer whose key it does not trust, such as a fake ground).
     */
    record Entry(String peer, String reason, int count, Instant first, Instant last, boolean ours) {
        /** The event's text: the refusal as it was when it happened once, with its count and span when more. */
        String message() {
            String what = ours ? "the node refused a session with " + peer : "session refused by " + peer;
            return count == 1 ? what + ": " + reason
                    : what + " " + count + " times from " + first + " to " + last + " (the last: " + reason + ")";
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    synchronized void refused(String peer, String reason, Instant at) {
        add(peer, reason, at, false);
    }

    /** This node refused the peer (it proved a key the node does not trust, or no key at all). */
    synchronized void refusedByNode(String peer, String reason, Instant at) {
        add(peer, reason, at, true);
    }

    private void add(String peer, String reason, Instant at, boolean ours) {
        String key = ours + "\n" + peer + "\n" + EXPIRY.matcher(reason).replaceAll("");
        Entry e = entries.get(key);
        if (e == null && entries.size() >= MAX) {
            Iterator<String> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(key, e == null ? new Entry(peer, reason, 1, at, at, ours)
                : new Entry(peer, reason, e.count() + 1, e.first(), at, ours));
    }

    /** The entries in the order their reasons first came, and none left. */
    synchronized List<Entry> drain() {
        List<Entry> out = new ArrayList<>(entries.values());
        entries.clear();
        return out;
    }
}
