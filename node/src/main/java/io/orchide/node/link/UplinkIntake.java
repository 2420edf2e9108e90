package io.orchide.node.link;

import io.orchide.link.Bundle;
import io.orchide.link.Deliveries;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetResult;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.EventCommand;
import io.orchide.model.message.MessageException;
import io.orchide.model.message.StatusReport;
import io.orchide.model.message.TelemetryBudget;
import io.orchide.model.message.TenantQuota;
import io.orchide.node.housekeeping.FullLogs;
import io.orchide.node.housekeeping.HousekeepingStore;
import io.orchide.model.message.FullLog;
import io.orchide.model.message.LogRequest;
import io.orchide.model.message.TrustUpdate;
import io.orchide.model.tenant.Quota;
import io.orchide.link.trust.TrustException;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.dataset.DatasetCommands;
import io.orchide.node.trust.DirectorCheck;
import io.orchide.node.pipeline.run.Pipelines;
import io.orchide.node.tenant.TenantQuotas;

import java.util.List;

/**
 * Takes the bundles ground sends, once each (the link stores them before it acknowledges and hands each over until
 * this returns): desired-state changes, tenants' quotas, named events, image manifests and chunks. A payload that does not decode
 * changes nothing and is reported in the next status report rather than thrown back (it would never decode).
 */
final class UplinkIntake implements Deliveries {
    private final DesiredApplier desired;
    private final Pipelines pipelines;
    private final ImageIntake images;
    private final NodeEvents events;
    private final TenantQuotas quotas;
    private final AuditTrail audit;
    private final HousekeepingStore housekeeping;
    private final FullLogs fullLogs;
    private final DatasetCommands datasetCommands;
    private final ToGround toGround;
    private final DirectorCheck director;

    /** Without housekeeping, whole logs and datasets: what a test of desired state needs. */
    UplinkIntake(DesiredApplier desired, Pipelines pipelines, ImageIntake images, NodeEvents events,
                 TenantQuotas quotas, AuditTrail audit, DirectorCheck director) {
        this(desired, pipelines, images, events, quotas, audit, director, null, null, null, null);
    }

    /**
     * @param director how a desired-state change's signature is checked before anything else
     * @param datasetCommands does the dataset operations ground sends; null on a node that keeps no datasets
     */
    UplinkIntake(DesiredApplier desired, Pipelines pipelines, ImageIntake images, NodeEvents events,
                 TenantQuotas quotas, AuditTrail audit, DirectorCheck director, HousekeepingStore housekeeping,
                 FullLogs fullLogs, DatasetCommands datasetCommands, ToGround toGround) {
        this.director = director;
        this.housekeeping = housekeeping;
        this.fullLogs = fullLogs;
        this.datasetCommands = datasetCommands;
        this.toGround = toGround;
        this.quotas = quotas;
        this.audit = audit;
        this.desired = desired;
        this.pipelines = pipelines;
        this.images = images;
        this.events = events;
    }

    @Override
    public void deliver(Bundle bundle, byte[] payload) {
        try {
            switch (BundleKind.fromWire(bundle.kind()).orElse(null)) {
                case DESIRED -> desired(bundle, payload);
                case QUOTA -> quota(TenantQuota.decode(payload));
                case TRUST -> desired.trust(TrustUpdate.decode(payload).documents(), null, null);
                case EVENT -> {
                    EventCommand e = EventCommand.decode(payload);
                    int runs = pipelines.event(e.name()).size();
                    events.add("event/" + e.name(), "raised from ground: " + runs + " run(s) started");
                }
                case DATASET_COMMAND -> datasetCommand(bundle, DatasetCommand.decode(payload));
                case TELEMETRY_BUDGET -> {
                    TelemetryBudget b = TelemetryBudget.decode(payload);
                    if (housekeeping.take(b)) {
                        events.add("telemetry-budget", "version " + b.version() + " taken: "
                                + (b.bytesPerDay() == 0 ? "the node's default budget" : b.bytesPerDay() + " bytes a day")
                                + (b.intervalSeconds() == 0 ? "" : ", intervals of " + b.intervalSeconds() + " s"));
                    }
                }
                case LOG_REQUEST -> {
                    LogRequest r = LogRequest.decode(payload);
                    FullLog answer = fullLogs.answer(r);
                    events.add("log/" + r.workload(), answer.problem() == null
                            ? "whole log requested by ground: " + answer.log().length() + " characters queued"
                            : "whole log requested by ground: " + answer.problem());
                }
                case IMAGE_MANIFEST -> {
                    if (images.manifest(payload)) contentArrived();
                }
                case IMAGE_CHUNKS -> {
                    if (images.chunks(payload)) contentArrived();
                }
                case null, default -> events.add("bundle/" + bundle.id(), "kind " + bundle.kind() + " is not one a node takes; ignored");
            }
        } catch (MessageException e) {
            events.add("bundle/" + bundle.id(), "refused: " + e.getMessage());
        }
    }

    /** Does a dataset operation and queues its answer for ground. */
    private void datasetCommand(Bundle bundle, DatasetCommand c) {
        if (datasetCommands == null) {
            events.add("bundle/" + bundle.id(), "this node keeps no datasets");
            return;
        }
        java.util.Optional<DatasetResult> r = datasetCommands.take(c);
        if (r.isPresent()) answer(c.op(), r.get());
        else events.add("dataset-op/" + c.id(), c.op() + " waits for its content (" + c.bytes() + " bytes) to come up");
    }

    private void answer(String op, DatasetResult r) {
        toGround.send(BundleKind.DATASET_RESULT, r.encode());
        events.add("dataset-op/" + r.command(), op + " " + r.outcome() + ": " + r.message());
    }

    /** Image content completed: the puts that waited for it are done now, and the changes that waited are retried. */
    private void contentArrived() {
        desired.retryPending();
        if (datasetCommands != null) datasetCommands.contentArrived().forEach(r -> answer(DatasetCommand.PUT, r));
    }

    /** A change not signed as this node requires is refused whole, kept in the audit and reported; nothing applies. */
    private void desired(Bundle bundle, byte[] payload) throws MessageException {
        DesiredChange change;
        try {
            change = openSealed(payload);
        } catch (TrustException e) {
            audit.record(new AuditTrail.Change(AuditTrail.GROUND, AuditTrail.APPLY, "Desired", bundle.id(), null, null,
                    StatusReport.Audit.REFUSED, e.getMessage()));
            events.add("bundle/" + bundle.id(), "refused: " + e.getMessage());
            return;
        }
        desired.apply(change);
    }

    /**
     * The change, once its seal holds against the newest director keys the node knows: the root metadata and director
     * keys the change carries are taken first (each verified against the root on its own, so whoever sent them does
     * not matter), so that a change sealed by a newly named key opens and one sealed by a key those documents revoke
     * does not.
     */
    private DesiredChange openSealed(byte[] payload) throws TrustException, MessageException {
        List<String> carried = DirectorCheck.carriedDirectorDocuments(payload);
        if (!carried.isEmpty()) desired.trust(carried, null, null);
        return director.open(payload);
    }

    /** Takes a tenant's quota unless one as new is held already (a bundle delivered again). */
    private void quota(TenantQuota q) {
        if (!quotas.take(q)) return;
        String limits = q.unlimited() ? "no limits"
                : new Quota(q.cpuMillis(), q.memoryBytes(), q.storageBytes(), null).format();
        audit.record(new AuditTrail.Change(AuditTrail.GROUND, AuditTrail.APPLY, "Quota", q.tenant(), q.tenant(),
                q.version(), StatusReport.Audit.APPLIED, "quota " + limits));
        events.add("quota/" + q.tenant(), "version " + q.version() + " taken: " + limits);
    }
}
