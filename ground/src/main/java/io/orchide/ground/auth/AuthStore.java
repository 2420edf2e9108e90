package io.orchide.ground.auth;

import io.orchide.model.tenant.Quota;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tenants, principals, role bindings, API tokens (their SHA-256 only) and which tenants pushed which image, in
 * ground's database. Reads go to the database every time. Every change to tenants, principals, bindings or tokens
 * (bar a token's last use) goes through {@link #change}, which tells {@link AuthChanges}: what {@link ApiTokens} caches
 * of them is dropped at once here and, on PostgreSQL, on every replica.
 */
public final class AuthStore {
    /** The schema of this store, one entry of ground's migrations. Tenant {@code default} is where unlabelled manifests go. */
    public static final String MIGRATION = """
            CREATE TABLE tenant (
              name VARCHAR(63) PRIMARY KEY,
              cpu_millis BIGINT,
              memory_bytes BIGINT,
              storage_bytes BIGINT,
              uplink_bytes_per_day BIGINT,
              created_at BIGINT NOT NULL
            );
            INSERT INTO tenant (name, created_at) VALUES ('default', 0);
            CREATE TABLE principal (
              id VARCHAR(64) PRIMARY KEY,
              kind VARCHAR(32) NOT NULL,
              name VARCHAR(253) NOT NULL,
              created_at BIGINT NOT NULL,
              created_by VARCHAR(64)
            );
            CREATE TABLE role_binding (
              id VARCHAR(32) PRIMARY KEY,
              principal VARCHAR(64) NOT NULL,
              role VARCHAR(32) NOT NULL,
              tenant VARCHAR(63),
              created_at BIGINT NOT NULL,
              created_by VARCHAR(64)
            );
            CREATE INDEX role_binding_by_principal ON role_binding (principal);
            CREATE TABLE api_token (
              id VARCHAR(32) PRIMARY KEY,
              hash VARCHAR(64) NOT NULL UNIQUE,
              prefix VARCHAR(16) NOT NULL,
              principal VARCHAR(64) NOT NULL,
              name VARCHAR(253),
              created_at BIGINT NOT NULL,
              expires_at BIGINT,
              revoked_at BIGINT,
              last_used_at BIGINT,
              created_by VARCHAR(64)
            );
            CREATE TABLE image_tenant (
              digest VARCHAR(71) NOT NULL,
              tenant VARCHAR(63) NOT NULL,
              created_at BIGINT NOT NULL,
              PRIMARY KEY (digest, tenant)
            )
            """;

    private final GroundDatabase db;
    private final AuthChanges changes;

    public AuthStore(GroundDatabase db, AuthChanges changes) {
        this.db = db;
        this.changes = changes;
    }

    /** What tells caches of this store's changes. */
    public AuthChanges changes() { return changes; }

    /** Runs {@code work} in one transaction that changes what authentication decides, announced to {@link AuthChanges}. */
    private <T> T change(GroundDatabase.Work<T> work) {
        AuthChanges.Change ch = changes.begin();
        boolean committed = false;
        try {
            T t = db.tx(c -> {
                T r = work.run(c);
                ch.announce(c);
                return r;
            });
            committed = true;
            return t;
        } finally {
            ch.end(committed);
        }
    }

    // ---- tenants

    /** Creates {@code t}; false when a tenant of that name exists (nothing changed). */
    public boolean createTenant(Tenant t) {
        return change(c -> {
            if (tenantIn(c, t.name()).isPresent()) return false;
            Quota q = t.quota();
            Sql.update(c, "INSERT INTO tenant (name, cpu_millis, memory_bytes, storage_bytes, uplink_bytes_per_day, apps, pipelines, "
                    + "image_bytes, product_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", t.name(), q.cpuMillis(),
                    q.memoryBytes(), q.storageBytes(), q.uplinkBytesPerDay(), q.apps(), q.pipelines(), q.imageBytes(),
                    q.productBytes(), t.created());
            return true;
        });
    }

    /**
     * Changes the quota of tenant {@code name} by {@code change} (given the quota it has, in the same transaction, so
     * that two changes at once each apply to the other's result); the tenant as changed, or empty when there is none.
     */
    public Optional<Tenant> updateQuota(String name, java.util.function.UnaryOperator<Quota> change) {
        return db.tx(c -> {
            Optional<Tenant> t = tenantIn(c, name);
            if (t.isEmpty()) return t;
            Quota q = change.apply(t.get().quota());
            Sql.update(c, "UPDATE tenant SET cpu_millis = ?, memory_bytes = ?, storage_bytes = ?, uplink_bytes_per_day = ?, "
                    + "apps = ?, pipelines = ?, image_bytes = ?, product_bytes = ? WHERE name = ?", q.cpuMillis(), q.memoryBytes(),
                    q.storageBytes(), q.uplinkBytesPerDay(), q.apps(), q.pipelines(), q.imageBytes(), q.productBytes(), name);
            return Optional.of(new Tenant(name, q, t.get().created()));
        });
    }

    public Optional<Tenant> tenant(String name) {
        return db.read(c -> tenantIn(c, name));
    }

    public List<Tenant> tenants() {
        return db.read(c -> {
            List<Tenant> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tenant ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(tenant(rs));
            }
            return out;
        });
    }

    private static Optional<Tenant> tenantIn(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tenant WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(tenant(rs)) : Optional.empty();
            }
        }
    }

    private static Tenant tenant(ResultSet rs) throws SQLException {
        return new Tenant(rs.getString("name"), new Quota(Sql.nullableLong(rs, "cpu_millis"), Sql.nullableLong(rs, "memory_bytes"),
                Sql.nullableLong(rs, "storage_bytes"), Sql.nullableLong(rs, "uplink_bytes_per_day"), Sql.nullableLong(rs, "apps"),
                Sql.nullableLong(rs, "pipelines"), Sql.nullableLong(rs, "image_bytes"), Sql.nullableLong(rs, "product_bytes")),
                Sql.instant(rs, "created_at"));
    }

    // ---- principals, bindings, tokens

    /**
     * The first principal of an empty table: {@code id} bound fleet-wide as {@code binding}, with the token whose
     * hash is {@code token}. False (nothing written) when there is a principal already (another replica was first).
     */
    public boolean bootstrap(String id, String name, Binding binding, NewToken token, Instant now) {
        return change(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM principal"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) return false;
            }
            insertPrincipal(c, id, Caller.USER, name, null, now);
            insertBinding(c, binding, null);
            insertToken(c, token, null);
            return true;
        });
    }

    /** A token to store: its id, the hash of its secret, the start of the secret, whose it is, when it expires (null: never). */
    public record NewToken(String id, String hash, String prefix, String principal, String name, Instant created,
                           Instant expires) {
    }

    /** A service account with one binding and one token, in one transaction. */
    public void createServiceAccount(String id, String name, Binding binding, NewToken token, String createdBy) {
        change(c -> {
            insertPrincipal(c, id, Caller.SERVICE_ACCOUNT, name, createdBy, token.created());
            insertBinding(c, binding, createdBy);
            insertToken(c, token, createdBy);
            return null;
        });
    }

    /** {@code b}, and its principal as a user named {@code name} when there is none yet (an OIDC user not yet seen). */
    public void createBinding(Binding b, String createdBy, String name) {
        change(c -> {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM principal WHERE id = ?")) {
                ps.setString(1, b.principal());
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) insertPrincipal(c, b.principal(), Caller.USER, name, createdBy, b.created());
            insertBinding(c, b, createdBy);
            return null;
        });
    }

    public void createBinding(Binding b, String createdBy) {
        change(c -> {
            insertBinding(c, b, createdBy);
            return null;
        });
    }

    /** Whether any principal exists. */
    public boolean anyPrincipal() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM principal LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    public boolean principalExists(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM principal WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private static void insertPrincipal(Connection c, String id, String kind, String name, String by, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO principal (id, kind, name, created_at, created_by) VALUES (?, ?, ?, ?, ?)", id, kind, name, now, by);
    }

    private static void insertBinding(Connection c, Binding b, String by) throws SQLException {
        Sql.update(c, "INSERT INTO role_binding (id, principal, role, tenant, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                b.id(), b.principal(), b.role().wire(), b.tenant(), b.created(), by);
    }

    private static void insertToken(Connection c, NewToken t, String by) throws SQLException {
        Sql.update(c, "INSERT INTO api_token (id, hash, prefix, principal, name, created_at, expires_at, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t.id(), t.hash(), t.prefix(), t.principal(), t.name(), t.created(), t.expires(), by);
    }

    /** What a token's hash stands for, with its principal's bindings; empty when no token has that hash. */
    public record TokenRow(String id, String principal, String principalName, String kind, Instant expires, Instant revoked,
                           Instant lastUsed, List<Binding> bindings) {
    }

    /** The token whose secret hashes to {@code hash}, with its principal and bindings, in one read. */
    public Optional<TokenRow> tokenByHash(String hash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.principal, t.expires_at, t.revoked_at, t.last_used_at, "
                    + "p.name AS pname, p.kind AS pkind, b.id AS bid, b.role, b.tenant, b.created_at AS bcreated "
                    + "FROM api_token t JOIN principal p ON p.id = t.principal LEFT JOIN role_binding b ON b.principal = t.principal "
                    + "WHERE t.hash = ? ORDER BY b.id")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    TokenRow row = null;
                    List<Binding> bindings = new ArrayList<>();
                    while (rs.next()) {
                        if (row == null) {
                            row = new TokenRow(rs.getString("id"), rs.getString("principal"), rs.getString("pname"),
                                    rs.getString("pkind"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "revoked_at"),
                                    Sql.instant(rs, "last_used_at"), List.of());
                        }
                        Binding b = binding(rs, "bid", rs.getString("principal"), "bcreated");
                        if (b != null) bindings.add(b);
                    }
                    return row == null ? Optional.empty() : Optional.of(new TokenRow(row.id(), row.principal(),
                            row.principalName(), row.kind(), row.expires(), row.revoked(), row.lastUsed(), bindings));
                }
            }
        });
    }

    /** Records that token {@code id} was used at {@code at}; only moves forward. */
    public void touch(String id, Instant at) {
        db.tx(c -> Sql.update(c, "UPDATE api_token SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                at, id, at));
    }

    /** Revokes token {@code id} at {@code at}; false when there is no such token or it was revoked already. */
    public boolean revoke(String id, Instant at) {
        return change(c -> Sql.update(c, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id) == 1);
    }

    /** Every token, never its secret, with its principal's bindings; revoked ones too when {@code withRevoked}. */
    public List<TokenInfo> tokens(boolean withRevoked) {
        return db.read(c -> {
            Map<String, List<Binding>> bindings = bindingsByPrincipal(c);
            List<TokenInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_token ORDER BY created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant revoked = Sql.instant(rs, "revoked_at");
                    if (revoked != null && !withRevoked) continue;
                    String p = rs.getString("principal");
                    out.add(new TokenInfo(rs.getString("id"), rs.getString("name"), p, bindings.getOrDefault(p, List.of()),
                            Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"), revoked,
                            Sql.instant(rs, "last_used_at"), rs.getString("prefix")));
                }
            }
            return out;
        });
    }

    public Optional<TokenInfo> token(String id) {
        return tokens(true).stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public List<Binding> bindings() {
        return db.read(c -> bindingsByPrincipal(c).values().stream().flatMap(List::stream).toList());
    }

    public List<Binding> bindingsOf(String principal) {
        return db.read(c -> bindingsByPrincipal(c).getOrDefault(principal, List.of()));
    }

    private static Map<String, List<Binding>> bindingsByPrincipal(Connection c) throws SQLException {
        Map<String, List<Binding>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM role_binding ORDER BY created_at, id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Binding b = binding(rs, "id", rs.getString("principal"), "created_at");
                if (b != null) out.computeIfAbsent(b.principal(), k -> new ArrayList<>()).add(b);
            }
        }
        return out;
    }

    /** The binding in the current row, or null for a left join's empty side or a role this code does not know. */
    private static Binding binding(ResultSet rs, String idCol, String principal, String createdCol) throws SQLException {
        String id = rs.getString(idCol);
        Role role = Role.of(rs.getString("role"));
        if (id == null || role == null) return null; // an unknown role grants nothing
        return new Binding(id, principal, role, rs.getString("tenant"), Sql.instant(rs, createdCol));
    }

    // ---- image ownership

    /** Records that {@code tenant} pushed image {@code digest} (several tenants may push the same bytes). */
    public void ownImage(String digest, String tenant, Instant at) {
        db.tx(c -> Sql.update(c, "INSERT INTO image_tenant (digest, tenant, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (digest, tenant) DO NOTHING", digest, tenant, at));
    }

    /** The tenants that pushed each image, by digest. */
    public Map<String, Set<String>> imageTenants() {
        return db.read(c -> {
            Map<String, Set<String>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT digest, tenant FROM image_tenant");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new java.util.HashSet<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    public boolean imageOwnedBy(String digest, String tenant) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM image_tenant WHERE digest = ? AND tenant = ?")) {
                Sql.bind(ps, digest, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
