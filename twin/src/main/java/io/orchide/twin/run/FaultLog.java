package io.orchide.twin.run;

import io.orchide.twin.scenario.Fault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the twin did for each fault: when it began and ended, and what it found then (processes killed, ...). */
final class FaultLog {
    /**
     * {@code processesKilled} by a power cut, the {@code scene} a corrupt-scene fault spoilt, the free bytes a
     * disk-full fault left ({@code freeBytes}, -1 for other faults).
     */
    record Entry(Instant began, Instant ended, int processesKilled, String scene, long freeBytes) {
    }

    private final Map<Fault, Entry> entries = new LinkedHashMap<>();

    synchronized void began(Fault f, Instant at, int killed) {
        entries.put(f, new Entry(at, null, killed, null, -1));
    }

    synchronized void filled(Fault f, Instant at, long freeBytes) {
        entries.put(f, new Entry(at, null, 0, null, freeBytes));
    }

    synchronized void ended(Fault f, Instant at) {
        Entry e = entries.get(f);
        if (e != null) entries.put(f, new Entry(e.began(), at, e.processesKilled(), e.scene(), e.freeBytes()));
    }

    synchronized void scene(Fault f, String scene) {
        Entry e = entries.get(f);
        if (e != null) entries.put(f, new Entry(e.began(), e.ended(), e.processesKilled(), scene, e.freeBytes()));
    }

    synchronized Entry get(Fault f) {
        return entries.get(f);
    }
}
