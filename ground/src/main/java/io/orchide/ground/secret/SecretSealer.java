package io.orchide.ground.secret;

import io.orchide.ground.store.Sql;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.SecretSealing;
import io.orchide.model.Secret;
import io.orchide.model.codec.SecretWriter;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Turns a Secret as a user applied it (clear {@code data}) into the only form ground stores and sends: its data sealed
 * to each active node key registered for the satellite ({@link SecretSealing}), bound to the secret's tenant, name,
 * version and that key's fingerprint. Called inside the apply's transaction, so that the version is the generation the
 * change takes; the clear bytes live only in memory for the length of that call.
 */
public final class SecretSealer {
    private SecretSealer() {
    }

    /** The satellite has no active node key: nothing could open a sealed secret there. */
    public static final class NoNodeKey extends IllegalStateException {
        private final String satellite;
        private final String name;

        public NoNodeKey(String satellite, String name) {
            super("Secret " + name + " cannot be sealed for satellite " + satellite
                    + ": it has no active node key (register its nodes' keys: orchide create satellite " + satellite
                    + " --node-key node.pub)");
            this.satellite = satellite;
            this.name = name;
        }

        public String satellite() { return satellite; }

        public String name() { return name; }
    }

    /** {@code secret} sealed, at {@code version}, to every active node key of {@code satellite}. */
    public static Secret seal(Connection c, String satellite, Secret secret, int version) throws SQLException {
        if (secret.isSealed()) throw new IllegalArgumentException("Secret " + secret.name() + " is sealed already");
        List<Secret.Copy> copies = new ArrayList<>();
        byte[] plain = SecretWriter.dataJson(secret);
        try {
            for (String[] key : activeKeys(c, satellite)) {
                String fp = key[0];
                PublicKey pub = KeyFiles.parsePublic(key[1], "node key " + fp + " of " + satellite);
                byte[] ad = Secret.associatedData(secret.metadata().tenant(), secret.name(), version, fp);
                SecretSealing.Sealed s = SecretSealing.seal(pub, plain, ad);
                Base64.Encoder b64 = Base64.getEncoder();
                copies.add(new Secret.Copy(fp, b64.encodeToString(s.ephemeral()), b64.encodeToString(s.ciphertext())));
            }
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        if (copies.isEmpty()) throw new NoNodeKey(satellite, secret.name());
        return secret.withSealed(new Secret.Sealed(version, secret.keys(), copies));
    }

    private static List<String[]> activeKeys(Connection c, String satellite) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, public_key FROM satellite_key "
                + "WHERE satellite = ? AND revoked_at IS NULL ORDER BY fingerprint")) {
            Sql.bind(ps, satellite);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }
}
