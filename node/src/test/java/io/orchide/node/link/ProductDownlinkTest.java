package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.ProductState;
import io.orchide.model.message.ProductPayload;
import io.orchide.node.pipeline.run.Outbox;
import io.orchide.node.pipeline.run.PipelineStore;
import io.orchide.node.pipeline.run.ProductRecord;
import io.orchide.node.store.Database;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A product's way down: {@code outbox} → {@code queued} (a product bundle in the link's store, living until the
 * product's retention runs out) → {@code downlinked} when ground takes custody, or {@code expired} when its retention
 * runs out first, in the outbox or in the link's queue. Real stores (SQLite) and a real link endpoint whose contact
 * stays closed; the node's clock, shared by the downlink and the link, is moved by the test.
 */
class ProductDownlinkTest {
    private static final Instant T0 = Instant.parse("2030-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    private final MutableClock clock = new MutableClock(T0);
    private ProductDownlink downlink;
    private LinkOutcomes outcomes;
    private Database db;
    private PipelineStore store;
    private LinkStore linkStore;
    private LinkEndpoint link;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(tmp.resolve("node.db"));
        store = new PipelineStore(db);
        linkStore = LinkStore.sqlite(tmp.resolve("link.db"));
        // the link reports expiry and custody to the node's outcomes, as the agent wires them
        outcomes = new LinkOutcomes("sat-1", "n1", store, new NodeEvents(clock));
        link = LinkEndpoint.open(new LinkConfig("sat-1", "{}", 0, 0, 0, null, null, null, clock), linkStore,
                new TcpConvergenceLayer(), (b, p) -> { }, outcomes);
        link.closeContact();
        downlink = new ProductDownlink("sat-1", "n1", link, store, 1 << 20, clock);
    }

    @AfterEach
    void close() throws Exception {
        link.close();
        linkStore.close();
        db.close();
    }

    /** A product written by run 7's {@code cloud} step now, kept for {@code retention}. */
    private long product(String output, int bytes, int priority, Duration retention) throws Exception {
        Path file = Files.write(Files.createDirectories(tmp.resolve("outbox")).resolve(output + ".pgm"), new byte[bytes]);
        return store.putProduct(new ProductRecord(0, 7, "cloud-filter", "cloud", null, output, file, bytes,
                ProductFile.sha256(file), priority, retention, clock.instant().plus(retention), "sha256:abc",
                Map.of("scene", "scene-0001.pgm"), ProductState.OUTBOX.wire(), clock.instant()));
    }

    private String state(long id) {
        return store.products(null).stream().filter(p -> p.id() == id).findFirst().orElseThrow().state();
    }

    @Test
    void aProductGoesDownAsABundleLivingUntilItsRetentionEndsAndIsDownlinkedWhenGroundTakesCustody() throws Exception {
        long id = product("cover", 1000, 70, Duration.ofHours(6));
        clock.advance(Duration.ofHours(1));
        downlink.sweep();

        assertThat(state(id)).isEqualTo(ProductState.QUEUED.wire());
        List<Bundle> queued = link.queued("ground");
        assertThat(queued).singleElement().satisfies(b -> {
            assertThat(b.id()).isEqualTo("product.sat-1.n1." + id);
            assertThat(b.kind()).isEqualTo(BundleKind.PRODUCT.wire());
            assertThat(b.priority()).isEqualTo(70);
            assertThat(b.expires()).isEqualTo(T0.plus(Duration.ofHours(6))); // the product's own expiry, not a kind's
        });
        byte[] payload = linkStore.readOut(queued.getFirst().id(), 0);
        ProductPayload.Header head = ProductPayload.decode(payload).header();
        assertThat(head.id()).isEqualTo(id);
        assertThat(head.size()).isEqualTo(1000);
        assertThat(head.expires()).isEqualTo(T0.plus(Duration.ofHours(6)));
        assertThat(head.lineage()).contains("\"pipeline\":\"cloud-filter\"").contains("\"scene\":\"scene-0001.pgm\"");

        downlink.sweep(); // queued once: a second sweep (or one after a crash) adds nothing
        assertThat(link.queued("ground")).hasSize(1);

        outcomes.acknowledged(queued.getFirst());
        assertThat(state(id)).isEqualTo(ProductState.DOWNLINKED.wire());
    }

    @Test
    void aProductWhoseRetentionRunsOutInTheLinksQueueBecomesExpired() throws Exception {
        long id = product("cover", 1000, 50, Duration.ofHours(2));
        long lasting = product("mask", 1000, 50, Duration.ofDays(2));
        downlink.sweep();
        assertThat(link.queued("ground")).hasSize(2);

        clock.advance(Duration.ofHours(2).plusSeconds(1)); // no contact came within the retention
        await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals(ProductState.EXPIRED.wire()));
        assertThat(link.queued("ground")).extracting(Bundle::id).containsExactly("product.sat-1.n1." + lasting);
        assertThat(state(lasting)).isEqualTo(ProductState.QUEUED.wire());
    }

    @Test
    void aProductWhoseRetentionRanOutBeforeItWasQueuedBecomesExpiredAndNeverGoes() throws Exception {
        long id = product("cover", 1000, 50, Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(30)); // its last instant: expired at, not only after
        downlink.sweep();
        assertThat(state(id)).isEqualTo(ProductState.EXPIRED.wire());
        assertThat(link.queued("ground")).isEmpty();
    }

    @Test
    void aProductLargerThanTheLinkTakesIsMarkedTooLargeAndNeverGoes() throws Exception {
        long id = product("huge", (1 << 20) + 1, 50, Duration.ofHours(1));
        downlink.sweep();
        assertThat(state(id)).isEqualTo(ProductState.TOO_LARGE.wire());
        assertThat(link.queued("ground")).isEmpty();
    }

    @Test
    void anExpiredBundleThatCarriedNoProductChangesNoProduct() throws Exception {
        long id = product("cover", 1000, 50, Duration.ofHours(1));
        downlink.sweep();
        Bundle queued = link.queued("ground").getFirst();
        outcomes.expired(new Bundle("status.sat-1.n1.9", "sat-1", "ground", "status", 10, T0, Duration.ofHours(1),
                3, queued.checksum()));
        outcomes.expired(new Bundle("product.sat-2.n1." + id, "sat-2", "ground", BundleKind.PRODUCT.wire(), 10, T0,
                Duration.ofHours(1), 3, queued.checksum()));
        assertThat(state(id)).isEqualTo(ProductState.QUEUED.wire());
    }
}
