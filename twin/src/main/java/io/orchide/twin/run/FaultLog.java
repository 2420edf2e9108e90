package io.orchide.twin.run;

import io.orchide.twin.scenario.Fault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the twin did for each fault: when it began and ended, and what it found then (processes killed, ...). */
final class FaultLog {
    /**
     * {@code processesKilled} by a power cut, the {@code scene} a corrupt-scene fault spoilt, the free bytes a
     * disk-full fault left ({@code freeBytes}, -1 for other faults), the ground {@code replica} a crash struck (0 for
     * other faults) and the satellites it {@code served} then.
     */
    record Entry(Instant began, Instant ended, int processesKilled, String scene, long freeBytes, int replica,
                 List<String> served) {
        Entry(Instant began, Instant ended, int processesKilled, String scene, long freeBytes) {
            this(began, ended, processesKilled, scene, freeBytes, 0, List.of());
        }

        Entry {
            served = List.copyOf(served);
        }

        Entry endedAt(Instant at) {
            return new Entry(began, at, processesKilled, scene, freeBytes, replica, served);
        }

        Entry withScene(String s) {
            return new Entry(began, ended, processesKilled, s, freeBytes, replica, served);
        }
    }

    private final Map<Fault, Entry> entries = new LinkedHashMap<>();

    synchronized void began(Fault f, Instant at, int killed) {
        entries.put(f, new Entry(at, null, killed, null, -1));
    }

    synchronized void filled(Fault f, Instant at, long freeBytes) {
        entries.put(f, new Entry(at, null, 0, null, freeBytes));
    }

    /**
     * A ground replica's crash struck {@code replica}, which served {@code served} then ({@code killed}: false when it
     * was down already).
     */
    synchronized void struck(Fault f, Instant at, int replica, List<String> served, boolean killed) {
        entries.put(f, new Entry(at, null, killed ? 1 : 0, null, -1, replica, served));
    }

    synchronized void ended(Fault f, Instant at) {
        Entry e = entries.get(f);
        if (e != null) entries.put(f, e.endedAt(at));
    }

    synchronized void scene(Fault f, String scene) {
        Entry e = entries.get(f);
        if (e != null) entries.put(f, e.withScene(scene));
    }

    synchronized Entry get(Fault f) {
        return entries.get(f);
    }
}
