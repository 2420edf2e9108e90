package io.orchide.ground;

import io.orchide.ground.auth.AuthSettings;
import io.orchide.link.secure.EncryptedKeys;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.Passphrase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ground's private key at rest: encrypted with the passphrase given, and a start without the right one refused. */
class GroundKeyAtRestTest {
    @TempDir
    Path dir;

    private GroundConfig config(Passphrase p) {
        return GroundConfig.builder().dataDir(dir).listen(new InetSocketAddress("127.0.0.1", 0)).linkListen("127.0.0.1:0")
                .keyPassphrase(p).build().withAuth(new AuthSettings(dir.resolve("admin.token"), false));
    }

    @Test
    void aKeyMadeWithAPassphraseIsEncryptedAndAStartWithoutTheRightOneIsRefused() throws Exception {
        String fingerprint;
        try (GroundServer g = GroundServer.start(config(Passphrase.of("orbit-7")))) {
            fingerprint = g.groundKeyFingerprint();
        }
        Path key = dir.resolve("ground.key");
        assertThat(EncryptedKeys.isEncrypted(key)).isTrue();
        assertThat(Files.readString(key)).doesNotContain("BEGIN PRIVATE KEY");

        assertThatThrownBy(() -> GroundServer.start(config(Passphrase.of("orbit-8"))).close())
                .hasMessageContaining(key.toString()).hasMessageContaining("does not open with this passphrase");
        assertThatThrownBy(() -> GroundServer.start(config(null)).close())
                .hasMessageContaining("is encrypted").hasMessageContaining("ORCHIDE_GROUND_KEY_PASSPHRASE");
        try (GroundServer g = GroundServer.start(config(Passphrase.of("orbit-7")))) {
            assertThat(g.groundKeyFingerprint()).as("the same key").isEqualTo(fingerprint);
        }
    }

    @Test
    void aClearKeyStillLoadsAndOnceEncryptedInPlaceNeedsThePassphrase() throws Exception {
        Files.createDirectories(dir);
        var kp = KeyFiles.create(dir.resolve("ground.key"), dir.resolve("ground.pub"));
        try (GroundServer g = GroundServer.start(config(null))) {
            assertThat(g.groundKeyFingerprint()).isEqualTo(KeyFiles.fingerprint(kp.getPublic()));
        }
        assertThat(EncryptedKeys.encryptInPlace(dir.resolve("ground.key"), Passphrase.of("p"))).isTrue();
        assertThatThrownBy(() -> GroundServer.start(config(null)).close()).hasMessageContaining("is encrypted");
        try (GroundServer g = GroundServer.start(config(Passphrase.of("p")))) {
            assertThat(g.groundKeyFingerprint()).isEqualTo(KeyFiles.fingerprint(kp.getPublic()));
        }
    }
}
