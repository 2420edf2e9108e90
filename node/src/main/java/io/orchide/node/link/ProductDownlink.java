package io.orchide.node.link;

import static io.orchide.model.message.ProductState.*;
import io.orchide.model.message.ProductLineage;
import io.orchide.model.message.BundleIds;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkException;
import io.orchide.link.PayloadSource;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.ProductPayload;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.pipeline.run.ProductRecord;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends the outbox's products down: each product file goes as one {@code product} bundle with its lineage, at the
 * product's downlink priority, living until the product expires (a directory output as its only file, or a tar). The bundle id is derived from the product, so
 * queueing it again after a crash queues nothing new. A product moves {@code outbox} → {@code queued} (in the
 * link's store) → {@code downlinked} (ground took custody; {@link LinkOutcomes}); one that expires before it could
 * go is {@code expired}.
 */
final class ProductDownlink {
    private static final System.Logger LOG = System.getLogger(ProductDownlink.class.getName());

    private final String satellite;
    private final String node;
    private final LinkEndpoint link;
    private final PipelineStore products;
    private final long maxBytes;
    private final Clock clock;

    ProductDownlink(String satellite, String node, LinkEndpoint link, PipelineStore products, long maxBytes, Clock clock) {
        this.satellite = satellite;
        this.node = node;
        this.link = link;
        this.products = products;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** Queues every product still in the outbox. */
    void sweep() {
        Instant now = clock.instant();
        for (ProductRecord p : products.productsIn(OUTBOX.wire())) {
            if (!p.expiresAt().isAfter(now)) {
                products.productState(p.id(), OUTBOX.wire(), EXPIRED.wire());
                continue;
            }
            if (p.sizeBytes() > maxBytes) {
                products.productState(p.id(), OUTBOX.wire(), TOO_LARGE.wire());
                continue;
            }
            try { // streamed from the outbox file: a large product never has to fit in the agent's small heap
                ProductFile f = ProductFile.of(p.path(), p.sha256(), p.sizeBytes());
                byte[] head = ProductPayload.encodeHeader(new ProductPayload.Header(p.id(), p.runName(), p.step(),
                        p.item() == null ? null : Integer.toString(p.item()), f.path().getFileName().toString(),
                        f.size(), f.sha256(), p.priority(), p.createdAt(), p.expiresAt(), lineage(p).encode()));
                link.send(bundleId(p.id()), "ground", BundleKind.PRODUCT.wire(), p.priority(),
                        Duration.between(now, p.expiresAt()), PayloadSource.of(head, f.path()));
            } catch (IOException | LinkException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot queue product " + p.id() + " at " + p.path() + ": " + e.getMessage());
                continue;
            }
            products.productState(p.id(), OUTBOX.wire(), QUEUED.wire());
        }
    }

    String bundleId(long productId) {
        return BundleIds.product(satellite, node, productId);
    }

    private static ProductLineage lineage(ProductRecord p) {
        return new ProductLineage(p.pipeline(), p.runName(), p.step(), p.item(), p.output(), p.image(), p.inputs());
    }
}
