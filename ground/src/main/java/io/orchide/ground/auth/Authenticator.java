package io.orchide.ground.auth;

import java.util.Optional;

/**
 * Turns a bearer credential (what follows {@code Authorization: Bearer}) into a {@link Caller}. Ground asks its
 * authenticators in order: the first that recognises the credential's form answers. API tokens are one
 * ({@link ApiTokens}); an OIDC JWT verifier is another, mapping the verified identity's tenant and groups to
 * {@link Binding}s.
 */
public interface Authenticator {
    /**
     * The caller {@code credential} proves, or empty when the credential is not of this authenticator's form (another
     * may know it).
     *
     * @throws Unauthenticated when it is of this form but proves nothing: unknown, expired, revoked, badly signed
     */
    Optional<Caller> authenticate(String credential);
}
