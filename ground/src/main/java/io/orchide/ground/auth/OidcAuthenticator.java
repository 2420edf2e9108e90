package io.orchide.ground.auth;

import io.orchide.ground.auth.oidc.OidcException;
import io.orchide.ground.auth.oidc.OidcIdentity;
import io.orchide.ground.auth.oidc.OidcVerifier;
import io.orchide.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * OIDC bearer JWTs as callers: a credential of JWT form (three base64url parts, which an API token never is) goes to
 * the {@link OidcVerifier}; anything else is left to the other authenticators.
 *
 * <p>The principal is the issuer and the subject together, {@code issuer#subject} (its name), stored under the id
 * {@link #principalId} (ground's principal ids are at most 64 characters, an issuer's URL and subject together may be
 * longer). Its role bindings are those stored for that id (an operator's {@code create rolebinding}), and those its
 * token's claims give: each group {@code orchide:ROLE} gives ROLE in the token's tenant claim (none without a tenant
 * claim), each group {@code orchide:TENANT:ROLE} gives ROLE in TENANT; ROLE is {@code tenant-admin},
 * {@code developer} or {@code viewer}. A claim never grants a fleet role ({@code platform-admin}, {@code operator}):
 * only a stored binding does. Other groups are ignored.
 */
public final class OidcAuthenticator implements Authenticator {
    /** The prefix of a group that names an Orchide role. */
    public static final String GROUP_PREFIX = "orchide:";
    /** The id of bindings that come from a token's claims (they are not stored). */
    public static final String CLAIM_BINDING = "oidc-claim";

    private final OidcVerifier verifier;
    /** The principals' stored bindings, kept until a change to bindings (here or on another replica). */
    private final TokenCache cache;

    public OidcAuthenticator(OidcVerifier verifier, AuthStore store) {
        this.verifier = verifier;
        this.cache = new TokenCache(store, store.changes());
    }

    @Override
    public Optional<Caller> authenticate(String credential) {
        if (!OidcVerifier.isJwtForm(credential)) return Optional.empty();
        OidcIdentity id;
        try {
            id = verifier.verify(credential);
        } catch (OidcException e) {
            if (e.reason() == OidcException.Reason.KEYS_UNAVAILABLE) {
                throw new ApiException(503, "oidc_unavailable", "the OIDC issuer's keys cannot be had, so the token "
                        + "cannot be checked (" + e.getMessage() + "); try again later", List.of(), 30, e);
            }
            throw new Unauthenticated("OIDC token refused (" + e.reason().code() + "): " + e.getMessage());
        }
        String name = principalName(id.issuer(), id.subject());
        String pid = principalId(name);
        List<Binding> bindings = new ArrayList<>(cache.bindingsOf(pid));
        bindings.addAll(claimBindings(pid, id));
        return Optional.of(new Caller(pid, name, Caller.USER, "oidc:" + name, bindings));
    }

    /** The bindings {@code id}'s tenant and groups claims give, as the class says. */
    static List<Binding> claimBindings(String principal, OidcIdentity id) {
        List<Binding> out = new ArrayList<>();
        for (String g : id.groups()) {
            if (!g.startsWith(GROUP_PREFIX)) continue;
            String rest = g.substring(GROUP_PREFIX.length());
            int colon = rest.lastIndexOf(':');
            String tenant = colon < 0 ? id.tenant() : rest.substring(0, colon);
            Role role = Role.of(colon < 0 ? rest : rest.substring(colon + 1));
            if (role == null || role.fleetOnly() || tenant == null || tenant.isEmpty()) continue;
            out.add(new Binding(CLAIM_BINDING, principal, role, tenant, Instant.EPOCH));
        }
        return out;
    }

    /** An OIDC principal's name: {@code issuer#subject}. */
    public static String principalName(String issuer, String subject) {
        return issuer + "#" + subject;
    }

    /** Whether {@code principal} as given to {@code create rolebinding} names an OIDC principal ({@code issuer#subject}). */
    public static boolean isPrincipalName(String principal) {
        int hash = principal.indexOf('#');
        return hash > 0 && hash < principal.length() - 1 && principal.contains("://");
    }

    /** The stored id of the OIDC principal {@code issuer#subject}: {@code oidc-} and 32 hex digits of its SHA-256. */
    public static String principalId(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return "oidc-" + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
