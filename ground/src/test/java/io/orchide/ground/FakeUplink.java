package io.orchide.ground;

import io.orchide.ground.link.Uplink;
import io.orchide.link.Bundle;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;
import io.orchide.model.message.ProductPayload;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A recording uplink, idempotent by id like the link's: every call is recorded in {@link #calls}, each id queued
 * once in {@link #queued}. {@link #failing} makes sends throw, as a link that is not ready.
 */
public final class FakeUplink implements Uplink {
    public final List<String> calls = new ArrayList<>();
    public final Map<String, Outgoing> queued = new LinkedHashMap<>();
    public final AtomicInteger sends = new AtomicInteger();
    public volatile boolean failing;
    public volatile boolean open;
    /** Satellites in contact now, with the start of their session. */
    public final Map<String, Instant> connectedSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;

    public FakeUplink(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Bundle send(String id, Outgoing o) {
        if (failing) throw new IllegalStateException("link not ready");
        calls.add(id);
        sends.incrementAndGet();
        queued.putIfAbsent(id, o);
        Outgoing q = queued.get(id);
        return new Bundle(id, "ground", q.destination(), q.kind(), q.priority(), clock.instant(), q.lifetime(),
                q.payload().length, "sha256:" + ProductPayload.sha256(q.payload()));
    }

    public synchronized List<String> ids() { return List.copyOf(queued.keySet()); }

    public synchronized List<String> calls() { return List.copyOf(calls); }

    @Override
    public synchronized LinkStats stats(String satellite) {
        long n = 0;
        long bytes = 0;
        for (Outgoing o : queued.values()) {
            if (o.destination().equals(satellite)) {
                n++;
                bytes += o.payload().length;
            }
        }
        Instant since = connectedSince.get(satellite);
        if (n == 0 && since == null) return null;
        return new LinkStats(satellite, n, bytes, 0, 0, 0, since == null ? null : clock.instant(), since != null, 0, 0,
                since);
    }

    @Override
    public synchronized List<LinkStats> peers() {
        List<LinkStats> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(connectedSince.keySet());
        queued.values().forEach(o -> names.add(o.destination()));
        names.forEach(s -> out.add(stats(s)));
        return out;
    }

    @Override public boolean contactOpen() { return open; }

    @Override public void openContact() { open = true; }

    @Override public void closeContact() { open = false; }

    public static Instant t(String s) { return Instant.parse(s); }
}
