package io.orchide.ground.auth.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who a verified OIDC token says its bearer is: the issuer and subject (together the principal's unique name), the
 * tenant and groups from the configured claims, and when the token stops being accepted.
 *
 * @param tenant the tenant claim's value; null when the token carries no tenant claim (a fleet-wide principal, or one
 *               whose tenant comes from its bindings)
 * @param groups the groups claim's values, in the token's order; empty when the token carries none
 * @param expiry the token's {@code exp}
 */
public record OidcIdentity(String issuer, String subject, String tenant, List<String> groups, Instant expiry) {
    public OidcIdentity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiry, "expiry");
        groups = List.copyOf(groups);
    }
}
