package io.orchide.ground.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What was read from the authentication tables, by key, for as long as nothing could have changed it: an entry is used
 * only while {@link AuthChanges#trusted()} and while the generation is the one read before the database was, so that
 * a change anywhere after that read (a revocation, a binding), or a moment in which changes could have gone unheard,
 * makes it stale. At most {@code maxEntries}: when full, it starts again empty.
 */
final class ChangeGuardedCache<K, V> {
    private record Entry<V>(V value, long generation) { }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AuthChanges changes;
    private final int maxEntries;

    ChangeGuardedCache(AuthChanges changes, int maxEntries) {
        this.changes = changes;
        this.maxEntries = maxEntries;
    }

    /**
     * The value for {@code key}: the cached one when it may be used, else {@code load}'s, kept when {@code keep} says
     * so and no change came in between.
     */
    V get(K key, Function<K, V> load, Predicate<V> keep) {
        if (changes.trusted()) {
            Entry<V> e = entries.get(key);
            if (e != null && e.generation() == changes.generation()) return e.value();
        }
        long before = changes.generation();
        V v = load.apply(key);
        if (keep.test(v) && changes.trusted() && changes.generation() == before) {
            if (entries.size() >= maxEntries) entries.clear();
            entries.put(key, new Entry<>(v, before));
        }
        return v;
    }
}
