package io.orchide.link.trust;

import java.util.List;

/**
 * Whether an image may boot for a tenant: one of its signatures states that tenant and that digest and is valid by a
 * key the root's delegation to that tenant names. Pure: the caller holds the delegation (verified against its root
 * when it arrived) and the signatures that came with the image.
 */
public final class ImageVerifier {
    private ImageVerifier() { }

    /**
     * The statement that lets {@code digest} boot for {@code tenant}; otherwise throws naming the most telling failure
     * among the signatures (a signature that does not verify, then a key not delegated, then another tenant's image,
     * then another digest, then none at all).
     */
    public static ImageStatement verify(String tenant, String digest, Delegation delegation, List<SignedDocument> signatures)
            throws TrustException {
        String what = "image " + digest + " of tenant " + tenant;
        String reason = "is not signed (this node boots only images signed by a key the root delegated to their tenant)";
        int rank = 0;
        for (SignedDocument d : signatures) {
            ImageStatement s;
            try {
                s = ImageStatement.read(d);
            } catch (TrustException e) {
                continue;
            }
            if (!s.digest().equals(digest)) {
                if (rank < 1) { rank = 1; reason = "has only a signature of another image (" + s.digest() + ")"; }
                continue;
            }
            if (!s.tenant().equals(tenant)) {
                if (rank < 2) { rank = 2; reason = "is signed for tenant " + s.tenant() + ", not for tenant " + tenant; }
                continue;
            }
            if (delegation == null || !delegation.tenant().equals(tenant)) {
                if (rank < 3) { rank = 3; reason = "is signed, but the root delegates no key to tenant " + tenant; }
                continue;
            }
            String keys = String.join(", ", d.signatures().stream().map(SignedDocument.KeySignature::keyId).toList());
            if (d.signatures().stream().noneMatch(k -> delegation.keys().containsKey(k.keyId()))) {
                if (rank < 4) {
                    rank = 4;
                    reason = "is signed by key " + keys + ", which the root does not delegate to tenant " + tenant
                            + " (delegation version " + delegation.version() + ")";
                }
                continue;
            }
            if (d.validSigners(delegation.keys()).isEmpty()) {
                rank = 5;
                reason = "has a signature by " + keys + " that does not verify (the statement was altered)";
                continue;
            }
            return s;
        }
        throw new TrustException(what, reason);
    }
}
