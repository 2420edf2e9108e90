package io.orchide.ground.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified API tokens by hash, with their principal and bindings, so that a request need not read them from the
 * database. An entry is used only while {@link AuthChanges#trusted()} and while the generation is the one read before
 * the database was: a change anywhere (a revocation, a binding) after that read, or a moment in which changes could
 * have gone unheard, makes it stale. Unknown and revoked tokens are never kept; expiry is checked by the caller on
 * every use, against its clock. At most {@link #MAX_ENTRIES} entries: when full, it starts again empty.
 */
final class TokenCache {
    static final int MAX_ENTRIES = 10_000;

    private record Entry(AuthStore.TokenRow row, long generation) { }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AuthStore store;
    private final AuthChanges changes;

    TokenCache(AuthStore store, AuthChanges changes) {
        this.store = store;
        this.changes = changes;
    }

    /** The token whose secret hashes to {@code hash}: from this cache when it may be used, else from the database. */
    Optional<AuthStore.TokenRow> find(String hash) {
        if (changes.trusted()) {
            Entry e = entries.get(hash);
            if (e != null && e.generation() == changes.generation()) return Optional.of(e.row());
        }
        long before = changes.generation();
        Optional<AuthStore.TokenRow> row = store.tokenByHash(hash);
        if (row.isPresent() && row.get().revoked() == null && changes.trusted() && changes.generation() == before) {
            if (entries.size() >= MAX_ENTRIES) entries.clear();
            entries.put(hash, new Entry(row.get(), before));
        }
        return row;
    }
}
