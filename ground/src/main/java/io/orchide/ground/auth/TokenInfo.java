package io.orchide.ground.auth;

import java.time.Instant;
import java.util.List;

/**
 * An API token as lists show it: never its secret. {@code prefix} is the start of the token (enough to recognise it);
 * {@code lastUsed} is exact to {@link ApiTokens#LAST_USED_GRAIN}.
 */
public record TokenInfo(String id, String name, String principal, List<Binding> bindings, Instant created,
                        Instant expires, Instant revoked, Instant lastUsed, String prefix) {
    public TokenInfo {
        bindings = List.copyOf(bindings);
    }
}
