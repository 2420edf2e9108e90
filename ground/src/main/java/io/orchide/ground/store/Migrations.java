package io.orchide.ground.store;

import java.util.List;

/**
 * Ground's schema, one entry per version, the same for SQLite and PostgreSQL. Portable SQL with two tokens the
 * dialect replaces: {@code ${id}} (an auto-assigned 64-bit primary key) and {@code ${blob}} (bytes).
 * Instants are epoch milliseconds in BIGINT columns. Never edit a shipped entry: add one.
 */
final class Migrations {
    static final List<String> ALL = List.of(
            """
            CREATE TABLE satellite (
              name VARCHAR(63) PRIMARY KEY,
              created_at BIGINT NOT NULL,
              last_contact BIGINT,
              downlink_bundles BIGINT,
              downlink_bytes BIGINT,
              downlink_as_of BIGINT
            );
            CREATE TABLE sat_node (
              satellite VARCHAR(63) NOT NULL,
              name VARCHAR(63) NOT NULL,
              arch VARCHAR(16) NOT NULL,
              cores INTEGER NOT NULL,
              memory_mib BIGINT NOT NULL,
              monitors TEXT NOT NULL,
              accelerators TEXT NOT NULL,
              devices TEXT NOT NULL,
              version VARCHAR(64) NOT NULL,
              first_seen BIGINT NOT NULL,
              last_seen BIGINT NOT NULL,
              PRIMARY KEY (satellite, name)
            );
            CREATE TABLE desired_object (
              satellite VARCHAR(63) NOT NULL,
              kind VARCHAR(16) NOT NULL,
              name VARCHAR(63) NOT NULL,
              tenant VARCHAR(63),
              generation INTEGER NOT NULL,
              manifest TEXT,
              updated_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, kind, name)
            );
            CREATE TABLE desired_change (
              satellite VARCHAR(63) NOT NULL,
              kind VARCHAR(16) NOT NULL,
              name VARCHAR(63) NOT NULL,
              generation INTEGER NOT NULL,
              manifest TEXT,
              changed_at BIGINT NOT NULL,
              bundle_id VARCHAR(128) NOT NULL UNIQUE,
              PRIMARY KEY (satellite, kind, name, generation)
            );
            CREATE TABLE uplink_outbox (
              bundle_id VARCHAR(128) PRIMARY KEY,
              satellite VARCHAR(63) NOT NULL,
              kind VARCHAR(64) NOT NULL,
              priority INTEGER NOT NULL,
              lifetime_ms BIGINT NOT NULL,
              payload ${blob} NOT NULL,
              created_at BIGINT NOT NULL,
              queued_at BIGINT
            );
            CREATE INDEX uplink_outbox_pending ON uplink_outbox (queued_at, created_at);
            CREATE TABLE sent_event (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              name VARCHAR(63) NOT NULL,
              at BIGINT NOT NULL
            );
            CREATE TABLE node_report (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              reported_at BIGINT NOT NULL,
              received_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, node)
            );
            CREATE TABLE workload_state (
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              name VARCHAR(253) NOT NULL,
              state VARCHAR(64) NOT NULL,
              since BIGINT,
              restarts INTEGER NOT NULL,
              message TEXT,
              reported_at BIGINT NOT NULL,
              received_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, node, name)
            );
            CREATE TABLE run_state (
              satellite VARCHAR(63) NOT NULL,
              name VARCHAR(253) NOT NULL,
              node VARCHAR(63) NOT NULL,
              pipeline VARCHAR(253) NOT NULL,
              state VARCHAR(64) NOT NULL,
              at BIGINT NOT NULL,
              message TEXT,
              received_at BIGINT NOT NULL,
              PRIMARY KEY (satellite, name)
            );
            CREATE TABLE sat_event (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              at BIGINT NOT NULL,
              subject TEXT NOT NULL,
              message TEXT NOT NULL,
              received_at BIGINT NOT NULL
            );
            CREATE INDEX sat_event_by_satellite ON sat_event (satellite, id);
            CREATE TABLE log_excerpt (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              node VARCHAR(63) NOT NULL,
              workload VARCHAR(253) NOT NULL,
              at BIGINT NOT NULL,
              lines TEXT NOT NULL,
              received_at BIGINT NOT NULL
            );
            CREATE INDEX log_excerpt_by_satellite ON log_excerpt (satellite, id);
            CREATE TABLE delivered_bundle (
              bundle_id VARCHAR(128) PRIMARY KEY,
              kind VARCHAR(64) NOT NULL,
              source VARCHAR(64) NOT NULL,
              received_at BIGINT NOT NULL
            );
            CREATE TABLE product (
              id ${id},
              satellite VARCHAR(63) NOT NULL,
              node_product_id BIGINT NOT NULL,
              bundle_id VARCHAR(128) NOT NULL,
              run VARCHAR(253) NOT NULL,
              step VARCHAR(253) NOT NULL,
              item VARCHAR(253),
              name VARCHAR(253) NOT NULL,
              size BIGINT NOT NULL,
              sha256 VARCHAR(64) NOT NULL,
              priority INTEGER NOT NULL,
              created_at BIGINT NOT NULL,
              expires_at BIGINT,
              lineage TEXT,
              received_at BIGINT NOT NULL,
              UNIQUE (satellite, node_product_id)
            );
            CREATE INDEX product_by_satellite ON product (satellite, id);
            CREATE INDEX product_by_run ON product (run, id);
            CREATE TABLE product_chunk (
              product_id BIGINT NOT NULL,
              seq INTEGER NOT NULL,
              data ${blob} NOT NULL,
              PRIMARY KEY (product_id, seq)
            );
            """,
            // 2: images and what each satellite holds of them (io.orchide.ground.image)
            io.orchide.ground.image.Images.MIGRATION,
            // 3: the hash-chained audit log (io.orchide.ground.audit)
            io.orchide.ground.audit.AuditLog.MIGRATION,
            // 4: tenants, principals, role bindings, API tokens, images' tenants (io.orchide.ground.auth)
            io.orchide.ground.auth.AuthStore.MIGRATION,
            // 5: ground's quotas per tenant: the new limits, products' tenants, the uplink ledger (io.orchide.ground.quota)
            io.orchide.ground.quota.Quotas.MIGRATION,
            // 6: tenants' on-board quotas sent to each satellite, nodes' audit records on their way to the audit log
            io.orchide.ground.desired.DesiredState.migration() + ";\n" + io.orchide.ground.audit.SatelliteAudit.MIGRATION,
            // 7: the node keys registered for each satellite, which the link accepts (io.orchide.ground.fleet)
            io.orchide.ground.fleet.NodeKeys.MIGRATION,
            // 8: ground stations and satellites' TLEs, for passes (io.orchide.ground.pass)
            io.orchide.ground.pass.Passes.MIGRATION,
            // 9: dataset operations asked of satellites and the datasets their nodes last reported (io.orchide.ground.dataset)
            io.orchide.ground.dataset.DatasetOps.MIGRATION,
            // 10: satellites' housekeeping: series dictionaries, samples, gaps, log summaries (io.orchide.ground.series)
            io.orchide.ground.series.SeriesStore.MIGRATION + ";\n" + io.orchide.ground.series.FullLogRequests.MIGRATION,
            // 11: the devices each node last reported (io.orchide.ground.device)
            io.orchide.ground.device.ReportedDevices.MIGRATION,
            // 12: the operator's roots of trust, tenants' delegations and image signatures (io.orchide.ground.trust)

            io.orchide.ground.trust.GroundTrust.MIGRATION,
            // 13: each satellite's housekeeping interval beside its budget (io.orchide.ground.series)
            io.orchide.ground.series.TelemetryBudgets.MIGRATION,
            // 14: files going up (put) and down (a large get) with dataset operations (io.orchide.ground.dataset)
            io.orchide.ground.dataset.DatasetOps.MIGRATION_TRANSFERS,
            // 15: where each node last said it was (io.orchide.ground.device)
            io.orchide.ground.device.ReportedPositions.MIGRATION);

    private Migrations() {
    }
}
