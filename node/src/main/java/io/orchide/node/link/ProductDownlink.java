package io.orchide.node.link;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.link.Bundle;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkException;
import io.orchide.link.PayloadSource;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.BundleKinds;
import io.orchide.model.message.ProductPayload;
import io.orchide.node.pipeline.run.Outbox;
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
 * link's store) → {@code downlinked} (ground took custody); one that expires before it could go is {@code expired}.
 */
final class ProductDownlink {
    static final String QUEUED = "queued";
    static final String DOWNLINKED = "downlinked";
    static final String EXPIRED = "expired";
    static final String TOO_LARGE = "too-large";

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
        for (ProductRecord p : products.productsIn(Outbox.OUTBOX)) {
            if (!p.expiresAt().isAfter(now)) {
                products.productState(p.id(), Outbox.OUTBOX, EXPIRED);
                continue;
            }
            if (p.sizeBytes() > maxBytes) {
                products.productState(p.id(), Outbox.OUTBOX, TOO_LARGE);
                continue;
            }
            try { // streamed from the outbox file: a large product never has to fit in the agent's small heap
                ProductFile f = ProductFile.of(p.path(), p.sha256(), p.sizeBytes());
                byte[] head = ProductPayload.encodeHeader(new ProductPayload.Header(p.id(), p.runName(), p.step(),
                        p.item() == null ? null : Integer.toString(p.item()), f.path().getFileName().toString(),
                        f.size(), f.sha256(), p.priority(), p.createdAt(), p.expiresAt(), lineage(p)));
                link.send(bundleId(p.id()), "ground", BundleKinds.PRODUCT, p.priority(),
                        Duration.between(now, p.expiresAt()), PayloadSource.of(head, f.path()));
            } catch (IOException | LinkException e) {
                System.err.println("downlink: cannot queue product " + p.id() + " at " + p.path() + ": " + e.getMessage());
                continue;
            }
            products.productState(p.id(), Outbox.OUTBOX, QUEUED);
        }
    }

    /** Ground took custody of a bundle: if it carried a product, the product is down. */
    void acknowledged(Bundle b) {
        productOf(b).ifPresent(id -> products.productState(id, QUEUED, DOWNLINKED));
    }

    /** A product bundle expired in the link's queue: the product is marked so. */
    void expired(Bundle b) {
        productOf(b).ifPresent(id -> products.productState(id, QUEUED, EXPIRED));
    }

    private java.util.Optional<Long> productOf(Bundle b) {
        String prefix = idPrefix();
        if (!b.kind().equals(BundleKinds.PRODUCT) || !b.id().startsWith(prefix)) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(Long.parseLong(b.id().substring(prefix.length())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    String bundleId(long productId) {
        return idPrefix() + productId;
    }

    private String idPrefix() {
        return "product." + satellite + "." + node + ".";
    }

    private static String lineage(ProductRecord p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("pipeline", p.pipeline());
        o.put("run", p.runName());
        o.put("step", p.step());
        if (p.item() != null) o.put("item", p.item());
        o.put("output", p.output());
        if (p.image() != null) o.put("image", p.image());
        ObjectNode inputs = o.putObject("inputs");
        p.inputs().forEach(inputs::put);
        return Trees.toJson(o, false);
    }
}
