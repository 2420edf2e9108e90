package io.orchide.ground.auth;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token cache on a real SQLite store, with {@link AuthChanges} a switch: a row changed behind the store's back
 * (as another replica's change whose notification has not arrived) is served from the cache while the changes are
 * trusted and the generation stands, and read again from the database as soon as either fails.
 */
class TokenCacheTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** Changes as a test sets them. */
    static final class Switch implements AuthChanges {
        final AtomicLong generation = new AtomicLong();
        volatile boolean trusted = true;

        @Override public long generation() { return generation.get(); }

        @Override public boolean trusted() { return trusted; }

        @Override
        public Change begin() {
            return new Change() {
                @Override public void announce(Connection c) { }

                @Override public void end(boolean committed) { generation.incrementAndGet(); }
            };
        }

        @Override public void close() { }
    }

    @TempDir
    Path tmp;
    GroundDatabase db;
    Switch changes;
    AuthStore store;
    TokenCache cache;
    String hash;

    @BeforeEach
    void start() {
        db = GroundDatabase.sqlite(tmp);
        changes = new Switch();
        store = new AuthStore(db, changes);
        ApiTokens.Minted t;
        try (ApiTokens tokens = new ApiTokens(store, java.time.Clock.systemUTC())) {
            t = tokens.mint("t1", "sa-1", "ci", Duration.ofDays(1));
        }
        store.createServiceAccount("sa-1", "ci", new Binding("rb-1", "sa-1", Role.VIEWER, "default", T0), t.stored(), null);
        hash = t.stored().hash();
        cache = new TokenCache(store, changes);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    /** Revokes token t1 in the database without telling anyone. */
    void revokeBehindTheStoresBack() {
        db.tx(c -> Sql.update(c, "UPDATE api_token SET revoked_at = ? WHERE id = 't1'", T0));
    }

    @Test
    void aTrustedCacheServesWhatItReadUntilTheGenerationMoves() {
        assertThat(cache.find(hash)).get().extracting(AuthStore.TokenRow::revoked).isNull();
        revokeBehindTheStoresBack();
        assertThat(cache.find(hash)).as("cached: the database is not asked").get()
                .extracting(AuthStore.TokenRow::revoked).isNull();
        changes.generation.incrementAndGet(); // the change's notification arrives
        assertThat(cache.find(hash)).get().extracting(AuthStore.TokenRow::revoked).isEqualTo(T0);
    }

    @Test
    void whileChangesAreNotTrustedEveryLookupReadsTheDatabaseAndNothingIsKept() {
        assertThat(cache.find(hash)).isPresent();
        changes.trusted = false; // the listening connection broke
        revokeBehindTheStoresBack();
        assertThat(cache.find(hash)).get().extracting(AuthStore.TokenRow::revoked).isEqualTo(T0);
        db.tx(c -> Sql.update(c, "UPDATE api_token SET revoked_at = NULL WHERE id = 't1'"));
        assertThat(cache.find(hash)).get().extracting(AuthStore.TokenRow::revoked).isNull();
        revokeBehindTheStoresBack();
        assertThat(cache.find(hash)).as("what was read while untrusted was not kept").get()
                .extracting(AuthStore.TokenRow::revoked).isEqualTo(T0);
    }

    @Test
    void aChangeThroughTheStoreEmptiesTheCacheAndARevokedTokenIsNeverKept() {
        assertThat(cache.find(hash)).isPresent();
        assertThat(store.revoke("t1", T0)).isTrue();
        assertThat(cache.find(hash)).get().extracting(AuthStore.TokenRow::revoked).isEqualTo(T0);
        db.tx(c -> Sql.update(c, "UPDATE api_token SET revoked_at = NULL WHERE id = 't1'"));
        assertThat(cache.find(hash)).as("the revoked row was not kept").get()
                .extracting(AuthStore.TokenRow::revoked).isNull();
    }

    @Test
    void aBindingMadeThroughTheStoreReachesTheNextLookup() {
        assertThat(cache.find(hash).orElseThrow().bindings()).hasSize(1);
        store.createBinding(new Binding("rb-2", "sa-1", Role.DEVELOPER, "default", T0), null);
        assertThat(cache.find(hash).orElseThrow().bindings()).extracting(Binding::role)
                .containsExactlyInAnyOrder(Role.VIEWER, Role.DEVELOPER);
    }

    @Test
    void anOidcPrincipalsStoredBindingsAreKeptUntilTheGenerationMoves() {
        assertThat(cache.bindingsOf("sa-1")).extracting(Binding::role).containsExactly(Role.VIEWER);
        db.tx(c -> Sql.update(c, "DELETE FROM role_binding WHERE id = 'rb-1'"));
        assertThat(cache.bindingsOf("sa-1")).as("cached").hasSize(1);
        changes.trusted = false;
        assertThat(cache.bindingsOf("sa-1")).as("untrusted: read again").isEmpty();
        changes.trusted = true;
        db.tx(c -> Sql.update(c, "INSERT INTO role_binding (id, principal, role, tenant, created_at) "
                + "VALUES ('rb-3', 'sa-1', 'developer', 'default', 0)"));
        assertThat(cache.bindingsOf("sa-1")).as("what was read while untrusted was not kept").hasSize(1);
    }
}
