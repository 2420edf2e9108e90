package io.orchide.ground.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;

/**
 * The first platform admin: on a ground whose principal table is empty, principal {@value #ADMIN} bound
 * {@code platform-admin} fleet-wide, with a token that never expires, written to a file readable by its owner only
 * (mode 0600). The file is complete before the token is stored and in place only once it is: a crash leaves either
 * no admin (the next start makes one) or a usable file. Of several replicas starting on one empty database, one wins.
 */
public final class AdminBootstrap {
    public static final String ADMIN = "admin";

    private AdminBootstrap() {
    }

    /**
     * Makes the first admin when there is no principal, writing its token to {@code file}; returns whether it did.
     * With a null {@code file} nothing is made (there would be no way to learn the token).
     */
    public static boolean ensure(AuthStore store, ApiTokens tokens, Path file, Clock clock) throws IOException {
        if (file == null) return false;
        Instant now = clock.instant();
        ApiTokens.Minted t = tokens.mint(ADMIN, "first start", null);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".admin.token.", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, t.secret() + "\n", StandardCharsets.US_ASCII);
            boolean first;
            try {
                first = store.bootstrap(ADMIN, ADMIN, new Binding("rb-" + ApiTokens.newId(), ADMIN, Role.PLATFORM_ADMIN, null, now),
                        t.stored(), now);
            } catch (io.orchide.ground.store.StoreException e) {
                // another replica inserted the admin between our count and our insert: it was first
                if (store.anyPrincipal()) return false;
                throw e;
            }
            if (!first) return false;
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
