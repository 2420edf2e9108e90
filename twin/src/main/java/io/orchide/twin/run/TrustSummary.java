package io.orchide.twin.run;

import java.util.List;

/**
 * How signed a scenario ran, as ground and the nodes say at its end: the root ground holds (its version, threshold
 * and keys), the tenants it delegates image-signing keys to, the root's newest director keys ({@code directorVersion},
 * 0 when the root names none) and whether they name the key ground seals desired state with
 * ({@code groundKeyNamed}), the image signatures ground accepted, and for each
 * node whether it pins the root and ground's key and how many images (tenant and digest) it verified before it took
 * the pipelines and Apps it holds.
 */
public record TrustSummary(long rootVersion, int threshold, int rootKeys, List<String> delegatedTenants,
                           long directorVersion, boolean groundKeyNamed, int imagesSigned, List<Node> nodes) {
    public TrustSummary {
        delegatedTenants = List.copyOf(delegatedTenants);
        nodes = List.copyOf(nodes);
    }

    /**
     * {@code imagesVerified}: the content images (per tenant) of the pipelines and Apps the node holds, each of which
     * it verified against the root it pins before it took them; -1 when its API did not answer.
     */
    public record Node(String satellite, boolean rootPinned, boolean groundKeyPinned, int imagesVerified) {
    }

    /** Whether every node pins the root and ground's key and verified at least one image. */
    public boolean everyNodeVerified() {
        return !nodes.isEmpty() && nodes.stream().allMatch(n -> n.rootPinned() && n.groundKeyPinned() && n.imagesVerified() > 0);
    }
}
