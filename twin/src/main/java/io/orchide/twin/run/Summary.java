package io.orchide.twin.run;

import io.orchide.twin.scenario.GroundSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The end of a scenario: per satellite what was captured, processed, dropped and sent down, how each fault was
 * coped with, the bytes saved against sending every raw scene down, and what was lost (the target is nothing).
 * {@code ground}: its replicas and database; {@code groundEvents}: what the twin saw change in it (sessions moving
 * between replicas, replicas down or unavailable), empty for a ground of one replica on SQLite;
 * {@code doubledAtGround}: products ground holds more than once (the same satellite, run and name; the target is 0);
 * {@code tenants}: each tenant the scenario declares, with its pipelines' runs and products; {@code crossTenant}: the
 * attempt of one tenant on another's pipeline that ground must refuse (null with fewer than two tenants);
 * {@code quotaAttempt}: a tenant's apply over its full pipelines quota that ground must refuse (null when no tenant's
 * quota is full); {@code trust}: how signed it ran (null when ground held no root); {@code housekeeping}: what each satellite's
 * housekeeping brought ground (none for a satellite ground did not answer for); {@code inference}: the models allowed
 * on board and the pipelines that use them (null when the scenario has neither).
 */
public record Summary(String scenario, Instant start, Instant end, double speed, long seed, Duration wall,
                      List<SatelliteSummary> satellites, List<FaultOutcome> faults, GroundSpec ground,
                      List<GroundEvent> groundEvents, int doubledAtGround, List<TenantSummary> tenants,
                      CrossTenantAttempt crossTenant, QuotaAttempt quotaAttempt, TrustSummary trust,
                      List<HousekeepingSummary> housekeeping, InferenceSummary inference) {
    public Summary {
        housekeeping = List.copyOf(housekeeping);
        tenants = List.copyOf(tenants);
        satellites = List.copyOf(satellites);
        faults = List.copyOf(faults);
        groundEvents = List.copyOf(groundEvents);
    }

    public int captured() {
        return satellites.stream().mapToInt(SatelliteSummary::captured).sum();
    }

    public int dropped() {
        return satellites.stream().mapToInt(SatelliteSummary::dropped).sum();
    }

    public int failed() {
        return satellites.stream().mapToInt(SatelliteSummary::failed).sum();
    }

    public int pending() {
        return satellites.stream().mapToInt(SatelliteSummary::pending).sum();
    }

    public int products() {
        return satellites.stream().mapToInt(SatelliteSummary::products).sum();
    }

    public int productsAtGround() {
        return satellites.stream().mapToInt(SatelliteSummary::productsAtGround).sum();
    }

    public int productsOnBoard() {
        return satellites.stream().mapToInt(SatelliteSummary::productsOnBoard).sum();
    }

    public int lost() {
        return satellites.stream().mapToInt(SatelliteSummary::lost).sum();
    }

    /** Bytes of every scene captured: what sending them all down raw would cost. */
    public long sceneBytes() {
        return satellites.stream().mapToLong(SatelliteSummary::sceneBytes).sum();
    }

    /** Bytes of the products that reached ground. */
    public long productBytesAtGround() {
        return satellites.stream().mapToLong(SatelliteSummary::productBytesAtGround).sum();
    }

    public List<SceneOutcome> scenes() {
        return satellites.stream().flatMap(s -> s.scenes().stream()).toList();
    }
}
