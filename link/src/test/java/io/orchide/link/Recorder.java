package io.orchide.link;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Deliveries and events recorded for assertions. */
class Recorder implements Deliveries, LinkEvents {
    final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final Map<String, byte[]> payloads = new ConcurrentHashMap<>();
    final List<String> order = new CopyOnWriteArrayList<>();
    final List<String> expired = new CopyOnWriteArrayList<>();
    final List<String> acked = new CopyOnWriteArrayList<>();
    final List<String> rejected = new CopyOnWriteArrayList<>();
    final List<String> opened = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger open = new AtomicInteger();

    @Override
    public void deliver(Bundle bundle, byte[] payload) {
        if (counts.computeIfAbsent(bundle.id(), k -> new AtomicInteger()).incrementAndGet() == 1) order.add(bundle.id());
        payloads.put(bundle.id(), payload);
    }

    int delivered() { return counts.size(); }

    int duplicates() {
        return (int) counts.values().stream().filter(c -> c.get() > 1).count();
    }

    @Override public void contactOpened(PeerContact peer) { opened.add(peer.name()); open.incrementAndGet(); }

    @Override public void contactClosed(String peer) { open.decrementAndGet(); }

    @Override public void acknowledged(Bundle bundle) { acked.add(bundle.id()); }

    @Override public void expired(Bundle bundle) { expired.add(bundle.id()); }

    @Override public void rejected(String peer, String bundleId, String reason) { rejected.add(peer + "/" + bundleId + ": " + reason); }
}
