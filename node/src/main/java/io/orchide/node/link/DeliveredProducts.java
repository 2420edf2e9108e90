package io.orchide.node.link;

import io.orchide.model.message.ProductState;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.pipeline.run.ProductRecord;
import io.orchide.node.storage.Reclaimer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;

/**
 * Reclaims the outbox files of products that need no copy on board any more: those ground took custody of
 * ({@code downlinked}), and those whose retention ran out before they could go ({@code expired}, and the
 * {@code too-large} ones that never could). Their records, with their lineage, stay.
 */
public final class DeliveredProducts implements Reclaimer {
    private static final System.Logger LOG = System.getLogger(DeliveredProducts.class.getName());

    private static final List<ProductState> SPARE =
            java.util.Arrays.stream(ProductState.values()).filter(ProductState::done).toList();

    private final PipelineStore store;

    public DeliveredProducts(PipelineStore store) {
        this.store = store;
    }

    @Override
    public String what() {
        return "outbox files of products ground holds or that expired";
    }

    @Override
    public Reclaimed reclaim(long bytes) {
        Reclaimed got = Reclaimed.NOTHING;
        for (ProductState state : SPARE) {
            for (ProductRecord p : store.productsIn(state.wire())) {
                if (got.bytes() >= bytes) return got;
                if (!Files.exists(p.path(), LinkOption.NOFOLLOW_LINKS)) continue;
                long size;
                try {
                    size = Reclaimer.delete(p.path());
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete product " + p.id() + " at " + p.path() + ": "
                            + e.getMessage());
                    continue;
                }
                got = got.plus(new Reclaimed(1, size));
            }
        }
        return got;
    }
}
