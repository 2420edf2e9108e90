package io.orchide.link.secure;

import io.orchide.link.LinkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptedKeysTest {
    @TempDir
    Path dir;

    @Test
    void aKeyMadeWithAPassphraseIsEncryptedAndLoadsOnlyWithIt() throws Exception {
        Path key = dir.resolve("ground.key"), pub = dir.resolve("ground.pub");
        KeyPair made = EncryptedKeys.create(key, pub, Passphrase.of("correct horse\n"));

        assertThat(Files.readString(key)).contains("ORCHIDE ENCRYPTED PRIVATE KEY").doesNotContain("BEGIN PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(EncryptedKeys.load(key, pub, Passphrase.of("correct horse")).getPrivate().getEncoded())
                .isEqualTo(made.getPrivate().getEncoded());
        assertThatThrownBy(() -> EncryptedKeys.load(key, pub, Passphrase.of("wrong horse")))
                .isInstanceOf(LinkException.class).hasMessageContaining(key.toString()).hasMessageContaining("passphrase");
        assertThatThrownBy(() -> EncryptedKeys.load(key, pub, null))
                .isInstanceOf(LinkException.class).hasMessageContaining("is encrypted").hasMessageContaining("--key-passphrase-file");
    }

    @Test
    void aClearKeyStillLoadsAndIsEncryptedInPlaceOnce() throws Exception {
        Path key = dir.resolve("ground.key"), pub = dir.resolve("ground.pub");
        KeyPair made = KeyFiles.create(key, pub);
        assertThat(EncryptedKeys.load(key, pub, Passphrase.of("p")).getPublic()).isEqualTo(made.getPublic());

        assertThat(EncryptedKeys.encryptInPlace(key, Passphrase.of("p"))).isTrue();
        assertThat(EncryptedKeys.encryptInPlace(key, Passphrase.of("p"))).as("already encrypted: unchanged").isFalse();
        assertThat(EncryptedKeys.isEncrypted(key)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(EncryptedKeys.load(key, pub, Passphrase.of("p")).getPrivate().getEncoded()).isEqualTo(made.getPrivate().getEncoded());
    }

    @Test
    void aChangedByteIsRefused() throws Exception {
        KeyPair kp = KeyFiles.generate();
        String pem = EncryptedKeys.encrypt(kp.getPrivate(), Passphrase.of("p"));
        String body = pem.split("\n")[2];
        char c = body.charAt(10);
        String changed = pem.replace(body, body.substring(0, 10) + (c == 'A' ? 'B' : 'A') + body.substring(11));
        assertThatThrownBy(() -> EncryptedKeys.decrypt(changed, Passphrase.of("p"), "k")).isInstanceOf(LinkException.class);
    }

    @Test
    void aPassphraseIsNeverShown() {
        assertThat(Passphrase.of("hunter2").toString()).doesNotContain("hunter2");
    }
}
