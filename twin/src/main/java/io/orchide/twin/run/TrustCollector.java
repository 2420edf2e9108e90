package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.ServerException;
import io.orchide.client.http.Transfers;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.DirectorKeys;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.link.trust.TrustException;

import java.net.URI;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@link TrustSummary} from ground's trust API and from each node at the end of a scenario. */
final class TrustCollector {
    private TrustCollector() {
    }

    /**
     * Null when the scenario ran without a root (ground holds none). {@code groundKey}: the key ground seals desired
     * state with, looked for among the root's director keys.
     */
    static TrustSummary collect(String groundApi, String adminToken, List<SatelliteRig> rigs, int imagesSigned,
                                PublicKey groundKey) {
        RootMetadata root = null;
        DirectorKeys directors = null;
        List<String> tenants = new ArrayList<>();
        try {
            JsonNode items = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken).get("/api/v1/trust").path("items");
            for (JsonNode item : items) {
                SignedDocument d = SignedDocument.parse(item.toString(), "ground's trust document");
                switch (d.type()) {
                    case RootMetadata.TYPE -> {
                        RootMetadata r = RootMetadata.read(d);
                        if (root == null || r.version() > root.version()) root = r;
                    }
                    case Delegation.TYPE -> tenants.add(Delegation.read(d).tenant());
                    case DirectorKeys.TYPE -> {
                        DirectorKeys k = DirectorKeys.read(d);
                        if (directors == null || k.version() > directors.version()) directors = k;
                    }
                    default -> { }
                }
            }
        } catch (ServerException | TrustException e) {
            return null;
        }
        if (root == null) return null;
        List<TrustSummary.Node> nodes = new ArrayList<>();
        for (SatelliteRig r : rigs) {
            nodes.add(new TrustSummary.Node(r.name(), r.rootPinned(), r.groundKeyPinned(), r.imagesHeld()));
        }
        return new TrustSummary(root.version(), root.threshold(), root.keys().size(), tenants,
                directors == null ? 0 : directors.version(), directors != null && groundKey != null && directors.names(groundKey),
                imagesSigned, nodes);
    }
}
