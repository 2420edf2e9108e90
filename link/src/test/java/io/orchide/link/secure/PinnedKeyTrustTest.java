package io.orchide.link.secure;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A peer's certificate is trusted by its key alone; a trust that follows a changing set of keys (ground's director
 * keys as the root names them) judges each handshake by the set as it is then.
 */
class PinnedKeyTrustTest {
    final KeyPair old = KeyFiles.generate(), next = KeyFiles.generate();

    static X509Certificate[] chain(KeyPair k) {
        return new X509Certificate[]{LinkIdentity.of(k, "ground").certificate()};
    }

    @Test
    void aPinnedKeyIsTheOnlyOneAccepted() throws Exception {
        PinnedKeyTrust t = PinnedKeyTrust.pinned(Set.of(old.getPublic()), "ground's pinned key");
        t.checkServerTrusted(chain(old), "EdDSA");
        assertThatThrownBy(() -> t.checkServerTrusted(chain(next), "EdDSA")).isInstanceOf(UntrustedKeyException.class)
                .hasMessageContaining("is not ground's pinned key " + KeyFiles.fingerprint(old.getPublic()));
    }

    @Test
    void aFollowingTrustTakesAKeyNamedLaterAndRefusesOneDroppedSinceAtTheNextHandshake() throws Exception {
        AtomicReference<Set<String>> named = new AtomicReference<>(Set.of(KeyFiles.fingerprint(old.getPublic())));
        PinnedKeyTrust t = PinnedKeyTrust.following(named::get, () -> "a director key of the root");
        assertThatThrownBy(() -> t.checkServerTrusted(chain(next), "EdDSA")).isInstanceOf(UntrustedKeyException.class);

        named.set(Set.of(KeyFiles.fingerprint(next.getPublic())));
        assertThatCode(() -> t.checkServerTrusted(chain(next), "EdDSA")).doesNotThrowAnyException();
        assertThatThrownBy(() -> t.checkServerTrusted(chain(old), "EdDSA")).isInstanceOf(UntrustedKeyException.class)
                .hasMessageContaining("is not a director key of the root " + KeyFiles.fingerprint(next.getPublic()));
    }
}
