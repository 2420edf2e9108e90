package io.orchide.ground.image;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.link.store.LinkStore;
import io.orchide.model.message.BundleKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settling the chunks ground still counts as in flight from the link's record of their bundles, for when the link's
 * event about them never reached ground's bookkeeping (SQLite here; the real server's outage is DatabaseOutageTest's).
 */
class ImagesReconcileTest {
    @TempDir
    Path tmp;

    @Test
    void acknowledgedPacksBecomeHeldExpiredOnesArePlannedAgainAndQueuedOnesStayInFlight() throws Exception {
        Clock clock = Clock.systemUTC();
        FakeUplink uplink = new FakeUplink(clock);
        try (GroundDatabase db = GroundDatabase.sqlite(tmp)) {
            Images images = new Images(db, uplink, clock);
            byte[] a = new byte[1024 * 1024 + 4000];
            new Random(1).nextBytes(a);
            byte[] b = new byte[700_000];
            new Random(2).nextBytes(b);
            String da = images.push(new ByteArrayInputStream(a)).digest();
            String db2 = images.push(new ByteArrayInputStream(b)).digest();
            images.uplink("sat-1", da);
            images.uplink("sat-2", db2);
            Map<String, String> link = new HashMap<>();
            uplink.queued.forEach((id, o) -> {
                if (!o.kind().equals(BundleKind.IMAGE_CHUNKS.wire())) return;
                link.put(id, o.destination().equals("sat-1") ? LinkStore.ACKED : LinkStore.QUEUED);
            });
            long sat1 = images.chunkCounts("sat-1").sent();
            long sat2 = images.chunkCounts("sat-2").sent();
            assertThat(sat1).isPositive();
            assertThat(sat2).isPositive();

            assertThat(images.reconcile(link::get)).isEqualTo(link.values().stream().filter(LinkStore.ACKED::equals).count());
            assertThat(images.chunkCounts("sat-1")).isEqualTo(new Images.ChunkCounts(sat1, sat1));
            assertThat(images.chunkCounts("sat-2")).isEqualTo(new Images.ChunkCounts(sat2, 0));
            assertThat(images.reconcile(link::get)).as("settled already").isZero();

            link.replaceAll((id, state) -> state.equals(LinkStore.QUEUED) ? LinkStore.EXPIRED : state);
            images.reconcile(link::get);
            assertThat(images.chunkCounts("sat-2")).isEqualTo(new Images.ChunkCounts(0, 0));
            // what expired is sent again at the next uplink, not taken for delivered
            assertThat(images.uplink("sat-2", db2).alreadyThere()).isFalse();
            assertThat(images.chunkCounts("sat-2").sent()).isEqualTo(sat2);
        }
    }
}
