package io.orchide.node.trust;

import io.orchide.link.trust.DesiredStateSignature;
import io.orchide.link.trust.TrustException;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.MessageException;

import java.security.PublicKey;
import java.util.List;

/**
 * Opens a desired-state change from ground: a node that pins ground's key requires the change sealed by that key for
 * its own satellite ({@link DesiredStateSignature}) and refuses a bare or altered one; a node that pins nothing (tests
 * of the node alone) takes it as it is.
 */
public final class DirectorCheck {
    /** Takes every change as it comes: nothing pinned. */
    public static final DirectorCheck NONE = new DirectorCheck(null, List.of());

    private final String satellite;
    private final List<PublicKey> directors;

    public DirectorCheck(String satellite, List<PublicKey> directors) {
        this.satellite = satellite;
        this.directors = List.copyOf(directors);
    }

    public DesiredChange open(byte[] payload) throws TrustException, MessageException {
        if (directors.isEmpty()) {
            return DesiredChange.decode(DesiredStateSignature.sealed(payload)
                    ? DesiredStateSignature.openUnchecked(payload) : payload);
        }
        if (!DesiredStateSignature.sealed(payload))
            throw new TrustException("desired state", "is not signed by ground (this node pins ground's key and applies "
                    + "only what that key signed)");
        return DesiredChange.decode(DesiredStateSignature.open(payload, satellite, directors));
    }
}
