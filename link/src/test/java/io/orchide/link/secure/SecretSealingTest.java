package io.orchide.link.secure;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSealingTest {
    private static final byte[] AD = "tenant\0name\0version 1\0sha256:ab".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLAIN = "{\"password\":\"hunter2\"}".getBytes(StandardCharsets.UTF_8);

    /** libsodium's test/default/ed25519_convert: a key pair from this seed converts to these X25519 keys. */
    @Test
    void conversionMatchesLibsodiumVector() throws Exception {
        HexFormat hex = HexFormat.of();
        KeyPair kp = fromSeed(hex.parseHex("421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee"));

        assertThat(hex.formatHex(SecretSealing.x25519Public(kp.getPublic())))
                .isEqualTo("f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50");
        assertThat(hex.formatHex(SecretSealing.x25519Scalar(kp.getPrivate())))
                .isEqualTo("8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166");
    }

    @Test
    void convertedKeysAgreeFromBothSides() throws Exception {
        for (int i = 0; i < 20; i++) {
            KeyPair a = KeyFiles.generate();
            KeyPair b = KeyFiles.generate();
            javax.crypto.KeyAgreement ab = javax.crypto.KeyAgreement.getInstance("X25519");
            ab.init(SecretSealing.x25519Private(a.getPrivate()));
            ab.doPhase(x25519(b.getPublic()), true);
            javax.crypto.KeyAgreement ba = javax.crypto.KeyAgreement.getInstance("X25519");
            ba.init(SecretSealing.x25519Private(b.getPrivate()));
            ba.doPhase(x25519(a.getPublic()), true);
            assertThat(ab.generateSecret()).isEqualTo(ba.generateSecret());
        }
    }

    @Test
    void roundTrip() throws Exception {
        KeyPair node = KeyFiles.generate();
        SecretSealing.Sealed s = SecretSealing.seal(node.getPublic(), PLAIN, AD);

        assertThat(SecretSealing.open(node.getPrivate(), s, AD)).isEqualTo(PLAIN);
        assertThat(new String(s.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    }

    @Test
    void sealingTwiceGivesUnrelatedCiphertexts() {
        KeyPair node = KeyFiles.generate();
        SecretSealing.Sealed a = SecretSealing.seal(node.getPublic(), PLAIN, AD);
        SecretSealing.Sealed b = SecretSealing.seal(node.getPublic(), PLAIN, AD);

        assertThat(a.ephemeral()).isNotEqualTo(b.ephemeral());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
    }

    @Test
    void anotherKeyDoesNotOpen() {
        SecretSealing.Sealed s = SecretSealing.seal(KeyFiles.generate().getPublic(), PLAIN, AD);

        assertThatThrownBy(() -> SecretSealing.open(KeyFiles.generate().getPrivate(), s, AD))
                .isInstanceOf(SecretSealing.OpenFailed.class);
    }

    @Test
    void changedCiphertextOrEphemeralDoesNotOpen() {
        KeyPair node = KeyFiles.generate();
        SecretSealing.Sealed s = SecretSealing.seal(node.getPublic(), PLAIN, AD);
        byte[] ct = s.ciphertext();
        ct[3] ^= 1;
        byte[] eph = s.ephemeral();
        eph[0] ^= 1;

        assertThatThrownBy(() -> SecretSealing.open(node.getPrivate(), new SecretSealing.Sealed(s.ephemeral(), ct), AD))
                .isInstanceOf(SecretSealing.OpenFailed.class);
        assertThatThrownBy(() -> SecretSealing.open(node.getPrivate(), new SecretSealing.Sealed(eph, s.ciphertext()), AD))
                .isInstanceOf(SecretSealing.OpenFailed.class);
    }

    @Test
    void otherAssociatedDataDoesNotOpen() {
        KeyPair node = KeyFiles.generate();
        SecretSealing.Sealed s = SecretSealing.seal(node.getPublic(), PLAIN, AD);

        assertThatThrownBy(() -> SecretSealing.open(node.getPrivate(), s,
                "tenant\0name\0version 2\0sha256:ab".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecretSealing.OpenFailed.class);
    }

    /** RFC 5869 test case 1. */
    @Test
    void hkdfMatchesRfc5869() throws Exception {
        HexFormat hex = HexFormat.of();
        byte[] okm = SecretSealing.hkdf(hex.parseHex("000102030405060708090a0b0c"),
                hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(hex.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865");
    }

    private static java.security.PublicKey x25519(java.security.PublicKey ed) throws Exception {
        return java.security.KeyFactory.getInstance("X25519").generatePublic(new java.security.spec.XECPublicKeySpec(
                java.security.spec.NamedParameterSpec.X25519, SecretSealing.decodeU(SecretSealing.x25519Public(ed))));
    }

    /** The Ed25519 key pair of {@code seed}: the JDK's generator draws exactly the seed's 32 bytes. */
    private static KeyPair fromSeed(byte[] seed) throws Exception {
        SecureRandom fixed = new SecureRandom() {
            @Override public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        };
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(255, fixed);
        return g.generateKeyPair();
    }
}
