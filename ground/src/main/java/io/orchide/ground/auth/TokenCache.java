package io.orchide.ground.auth;

import java.util.List;
import java.util.Optional;

/**
 * Verified API tokens by hash, with their principal and bindings, and OIDC principals' stored bindings by principal
 * id, so that a request need not read them from the database; each kept only as long as {@link ChangeGuardedCache}
 * says. Unknown and revoked tokens are never kept; expiry is checked by the caller on every use, against its clock.
 */
final class TokenCache {
    static final int MAX_ENTRIES = 10_000;

    private final AuthStore store;
    private final ChangeGuardedCache<String, Optional<AuthStore.TokenRow>> tokens;
    private final ChangeGuardedCache<String, List<Binding>> bindings;

    TokenCache(AuthStore store, AuthChanges changes) {
        this.store = store;
        this.tokens = new ChangeGuardedCache<>(changes, MAX_ENTRIES);
        this.bindings = new ChangeGuardedCache<>(changes, MAX_ENTRIES);
    }

    /** The token whose secret hashes to {@code hash}: from this cache when it may be used, else from the database. */
    Optional<AuthStore.TokenRow> find(String hash) {
        return tokens.get(hash, store::tokenByHash, row -> row.isPresent() && row.get().revoked() == null);
    }

    /** The bindings stored for {@code principal}: from this cache when they may be used, else from the database. */
    List<Binding> bindingsOf(String principal) {
        return bindings.get(principal, store::bindingsOf, b -> true);
    }
}
