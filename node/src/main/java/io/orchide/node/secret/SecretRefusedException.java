package io.orchide.node.secret;

import io.orchide.runtime.LaunchException;

/**
 * A Secret the node does not take: sent in clear, or not sealed to this node's key. A {@link LaunchException}, so that
 * it is answered and reported as the apply path answers any manifest it cannot run.
 */
public final class SecretRefusedException extends LaunchException {
    public SecretRefusedException(String field, String value, String message) {
        super(field, value, message);
    }
}
