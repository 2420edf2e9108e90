package io.orchide.ground.intake;

import io.orchide.ground.dataset.DatasetOps;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.ground.product.Products;
import io.orchide.ground.report.Reports;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.link.Bundle;
import io.orchide.link.Deliveries;
import io.orchide.model.FieldError;
import io.orchide.ground.series.FullLogRequests;
import io.orchide.ground.series.SeriesStore;
import io.orchide.model.message.FullLog;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DatasetFile;
import io.orchide.model.message.DatasetResult;
import io.orchide.model.message.Housekeeping;
import io.orchide.model.message.MessageException;
import io.orchide.model.message.ProductPayload;
import io.orchide.model.message.StatusReport;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Downlink intake: what the link delivers, dispatched by kind ({@code report}, {@code dataset-result},
 * {@code product}). The payload is
 * decoded first (a payload that does not decode is refused and changes nothing); then, in one transaction, the
 * bundle id is claimed in {@code delivered_bundle} and the effect written, so a bundle delivered twice takes effect
 * once.
 */
public final class Intake implements Deliveries {
    private final GroundDatabase db;
    private final Reports reports;
    private final Products products;
    private final Clock clock;
    private final Runnable afterReport;
    private final SeriesStore series;
    private final Duration retention;
    private Instant retained;

    public Intake(GroundDatabase db, Reports reports, Products products, Clock clock) {
        this(db, reports, products, clock, () -> { });
    }

    public Intake(GroundDatabase db, Reports reports, Products products, Clock clock, Runnable afterReport) {
        this(db, reports, products, clock, afterReport, new SeriesStore(db), SeriesStore.DEFAULT_RETENTION);
    }

    /**
     * Calling {@code afterReport} once a report's transaction committed (its audit records go on to the audit log);
     * housekeeping goes to {@code series}, whose samples older than {@code retention} are deleted at most hourly.
     */
    public Intake(GroundDatabase db, Reports reports, Products products, Clock clock, Runnable afterReport,
                  SeriesStore series, Duration retention) {
        this.series = series;
        this.retention = retention;
        this.afterReport = afterReport;
        this.db = db;
        this.reports = reports;
        this.products = products;
        this.clock = clock;
    }

    @Override
    public void deliver(Bundle bundle, byte[] payload) throws RefusedBundle {
        String sat = bundle.source();
        if (!SatelliteNames.valid(sat)) {
            throw new RefusedBundle(bundle.id(), "source is not a satellite name",
                    List.of(new FieldError("source", sat, SatelliteNames.problem(sat))));
        }
        switch (BundleKind.fromWire(bundle.kind()).orElse(null)) {
            case REPORT -> {
                StatusReport r = decode(bundle, () -> StatusReport.decode(payload));
                apply(bundle, c -> reports.store(c, sat, r, clock.instant()));
                if (!r.audit().isEmpty()) afterReport.run();
            }
            case DATASET_RESULT -> {
                DatasetResult r = decode(bundle, () -> DatasetResult.decode(payload));
                apply(bundle, c -> DatasetOps.store(c, sat, r, clock.instant()));
            }
            case DATASET_FILE -> {
                DatasetFile f = decode(bundle, () -> DatasetFile.decode(payload));
                apply(bundle, c -> DatasetOps.storeFile(c, sat, f));
            }
            case HOUSEKEEPING -> {
                Housekeeping h = decode(bundle, () -> Housekeeping.decode(payload));
                try {
                    apply(bundle, c -> series.store(c, sat, h, clock.instant()));
                } catch (RuntimeException e) {
                    if (!(e.getCause() instanceof SeriesStore.UnknownSeries u)) throw e;
                    throw new RefusedBundle(bundle.id(), u.getMessage(),
                            List.of(new FieldError("series", h.epoch(), u.getMessage())));
                }
                retainSeries();
            }
            case FULL_LOG -> {
                FullLog log = decode(bundle, () -> FullLog.decode(payload));
                apply(bundle, c -> FullLogRequests.store(c, sat, log, clock.instant()));
            }
            case PRODUCT -> {
                ProductPayload p = decode(bundle, () -> ProductPayload.decode(payload));
                apply(bundle, c -> products.store(c, sat, bundle.id(), p, clock.instant()));
            }
            case null, default -> throw new RefusedBundle(bundle.id(), "unknown kind",
                    List.of(new FieldError("kind", bundle.kind(), "ground takes report, housekeeping, full-log, dataset-result, dataset-file and product bundles")));
        }
    }

    /** Deletes housekeeping older than the retention, at most once an hour (ground's housekeeping of it). */
    private void retainSeries() {
        Instant now = clock.instant();
        synchronized (this) {
            if (retained != null && Duration.between(retained, now).compareTo(Duration.ofHours(1)) < 0) return;
            retained = now;
        }
        series.retain(now.minus(retention));
    }

    private interface Decoder<T> {
        T decode() throws MessageException;
    }

    private interface Effect {
        void apply(Connection c) throws SQLException;
    }

    private static <T> T decode(Bundle b, Decoder<T> d) throws RefusedBundle {
        try {
            return d.decode();
        } catch (MessageException e) {
            throw new RefusedBundle(b.id(), e.getMessage(), e.errors());
        }
    }

    private void apply(Bundle b, Effect effect) {
        db.tx(c -> {
            Instant now = clock.instant();
            int claimed = Sql.update(c, "INSERT INTO delivered_bundle (bundle_id, kind, source, received_at) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (bundle_id) DO NOTHING", b.id(), b.kind(), b.source(), now);
            if (claimed == 0) return null; // delivered before
            Fleet.ensure(c, b.source(), now);
            effect.apply(c);
            return null;
        });
    }
}
