package io.orchide.node.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Which malformed requests the broker audits one by one: a caller's first in a minute is recorded at once, the
 * others of that minute are counted and named in the caller's next record after it. A guest that loops on a broken
 * request thus writes one record a minute, not one per request, and cannot push other records out of the bounded
 * audit.
 */
final class MalformedRequests {
    static final Duration WINDOW = Duration.ofMinutes(1);

    private record Seen(Instant since, long more) {
    }

    private final Map<String, Seen> byCaller = new HashMap<>();

    /** The reason to record for {@code caller}'s malformed request now, or null when it is only counted. */
    synchronized String note(Caller caller, String problem, Instant now) {
        Seen seen = byCaller.get(caller.holder());
        if (seen != null && now.isBefore(seen.since().plus(WINDOW))) {
            byCaller.put(caller.holder(), new Seen(seen.since(), seen.more() + 1));
            return null;
        }
        byCaller.put(caller.holder(), new Seen(now, 0));
        String before = seen == null || seen.more() == 0 ? ""
                : " (and " + seen.more() + " more malformed request(s) from " + seen.since() + " to " + now
                  + ", not recorded one by one)";
        return caller.kind() + " " + caller.name() + ": malformed request: " + problem + before;
    }
}
