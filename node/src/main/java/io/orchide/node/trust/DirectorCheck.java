package io.orchide.node.trust;

import io.orchide.link.trust.DesiredStateSignature;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.MessageException;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Opens a desired-state change from ground: a node that pins ground's key requires the change sealed for its own
 * satellite ({@link DesiredStateSignature}) and refuses a bare or altered one; a node that pins nothing (tests of the
 * node alone) takes it as it is. Which key must have sealed it: once the node's root has named director keys
 * ({@link DirectorKeys}), one of those and no other (a pinned key the root left out or revoked is refused); until
 * then, a key pinned with {@code --ground-key}.
 */
public final class DirectorCheck {
    /** Takes every change as it comes: nothing pinned. */
    public static final DirectorCheck NONE = new DirectorCheck(null, List.of());

    private final String satellite;
    private final List<PublicKey> pinned;
    private final Supplier<Optional<DirectorKeys>> rootDirectors;

    public DirectorCheck(String satellite, List<PublicKey> pinned) {
        this(satellite, pinned, Optional::empty);
    }

    /** With {@code rootDirectors}: the newest director keys the node's root named, read at each change. */
    public DirectorCheck(String satellite, List<PublicKey> pinned, Supplier<Optional<DirectorKeys>> rootDirectors) {
        this.satellite = satellite;
        this.pinned = List.copyOf(pinned);
        this.rootDirectors = rootDirectors;
    }

    public DesiredChange open(byte[] payload) throws TrustException, MessageException {
        if (pinned.isEmpty()) {
            return DesiredChange.decode(DesiredStateSignature.sealed(payload)
                    ? DesiredStateSignature.openUnchecked(payload) : payload);
        }
        if (!DesiredStateSignature.sealed(payload))
            throw new TrustException("desired state", "is not signed by ground (this node pins ground's key and applies "
                    + "only what that key signed)");
        Optional<DirectorKeys> named = rootDirectors.get();
        return DesiredChange.decode(named.isPresent()
                ? DesiredStateSignature.open(payload, satellite, named.get())
                : DesiredStateSignature.open(payload, satellite, pinned));
    }

    /**
     * The root metadata and director keys a sealed change carries, nothing checked: each is signed by the root's
     * threshold and verified as such when taken, so the node may take them before it knows whether the change's own
     * signature holds (a change sealed by a newly named director key carries the document naming it). Empty when the
     * payload is not a readable sealed change.
     */
    public static List<String> carriedDirectorDocuments(byte[] payload) {
        List<String> out = new ArrayList<>();
        if (!DesiredStateSignature.sealed(payload)) return out;
        try {
            for (String text : DesiredChange.decode(DesiredStateSignature.openUnchecked(payload)).trust()) {
                String type = SignedDocument.parse(text, "signed document").type();
                if (type.equals(RootMetadata.TYPE) || type.equals(DirectorKeys.TYPE)) out.add(text);
            }
        } catch (TrustException | MessageException e) {
            return List.of();
        }
        return out;
    }
}
