package io.orchide.node.link;

import io.orchide.model.Manifest;
import io.orchide.model.Arch;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.StatusReport;
import io.orchide.node.apply.Applier;
import io.orchide.link.trust.TrustException;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.trust.OnBoardTrust;
import io.orchide.node.pipeline.run.NoSuchRunException;
import io.orchide.node.pipeline.run.PipelineRefusedException;
import io.orchide.node.pipeline.run.Pipelines;
import io.orchide.node.workload.AdmissionException;
import io.orchide.node.workload.NoSuchWorkloadException;
import io.orchide.node.workload.Reconciler;
import io.orchide.runtime.LaunchException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Applies ground's desired-state changes on the node, on its own: a manifest through the node's one {@link Applier}
 * (as the local API does), a deletion by name. Each (kind, name) takes a generation at most once and never an older one
 * after a newer; an App whose {@code sha256:} image has not arrived yet, or a Pipeline one of whose steps names such
 * an image, or a Model whose file has not arrived, or an App or Pipeline using such a Model, waits (recorded, so a
 * reboot keeps it) and is applied when the images are assembled. A change the node cannot take is recorded as refused and reported; it is
 * not retried (ground sends a new generation). Each change applied or refused is also in the node's {@link AuditTrail}
 * (one waiting for its image is not, until it is applied or refused). On a node with a pinned root
 * ({@link OnBoardTrust}), the signed documents a change carries are taken first, and a manifest naming an image not
 * signed as that root requires is refused, never applied, whatever its images' state.
 */
final class DesiredApplier {
    private final Applier applier;
    private final Reconciler reconciler;
    private final Pipelines pipelines;
    private final DesiredLedger ledger;
    private final NodeEvents events;
    private final AuditTrail audit;
    private final Clock clock;
    private final OnBoardTrust trust;

    DesiredApplier(Applier applier, Reconciler reconciler, Pipelines pipelines, DesiredLedger ledger,
                   NodeEvents events, AuditTrail audit, Clock clock) {
        this(applier, reconciler, pipelines, ledger, events, audit, clock, null);
    }

    /** With {@code trust}: the chain of trust each manifest is checked against before it is applied (null: none). */
    DesiredApplier(Applier applier, Reconciler reconciler, Pipelines pipelines, DesiredLedger ledger,
                   NodeEvents events, AuditTrail audit, Clock clock, OnBoardTrust trust) {
        this.trust = trust;
        this.audit = audit;
        this.applier = applier;
        this.reconciler = reconciler;
        this.pipelines = pipelines;
        this.ledger = ledger;
        this.events = events;
        this.clock = clock;
    }

    synchronized void apply(DesiredChange change) {
        trust(change.trust(), change.name(), change.generation());
        Optional<DesiredLedger.Entry> seen = ledger.get(change.kind(), change.name());
        if (seen.isPresent() && seen.get().generation() > change.generation()) {
            // never a rollback: an older generation, replayed or late, is refused and kept in the audit
            String reason = "generation " + change.generation() + " is older than generation " + seen.get().generation()
                    + " taken before (a replay or a late bundle); not applied";
            audit(change, null, StatusReport.Audit.REFUSED, reason);
            events.add(change.kind() + "/" + change.name(), reason);
            return;
        }
        if (seen.isPresent() && seen.get().generation() == change.generation()
                && seen.get().state() != DesiredLedger.State.PENDING) {
            return; // taken already (a bundle delivered again)
        }
        take(change);
    }

    /**
     * Takes signed documents of the chain of trust (with a change, or on their own: {@code name} and
     * {@code generation} null), each refusal kept in the audit and reported.
     */
    synchronized void trust(List<String> documents, String name, Integer generation) {
        if (trust == null) return;
        for (String refused : trust.take(documents)) {
            audit.record(new AuditTrail.Change(AuditTrail.GROUND, AuditTrail.APPLY, "Trust", name == null ? "update" : name,
                    null, generation, StatusReport.Audit.REFUSED, refused));
            events.add("trust", "signed document refused: " + refused);
        }
    }

    /** Applies the changes that were waiting for an image, now that one has arrived. */
    synchronized void retryPending() {
        // a change may wait for another one (an App or Pipeline for a Model that waits for its file): passes again
        // while a pass took something, so the order of the waiting changes does not matter
        for (int taken = 1; taken > 0; ) {
            taken = 0;
            for (DesiredLedger.Entry e : ledger.pending()) {
                take(new DesiredChange(e.kind(), e.name(), e.generation(), e.manifest()));
                if (ledger.get(e.kind(), e.name()).filter(x -> x.state() == DesiredLedger.State.PENDING).isEmpty()) taken++;
            }
        }
    }

    private void take(DesiredChange change) {
        String subject = change.kind() + "/" + change.name();
        String tenant = change.deleted() ? tenantHere(change) : null;
        try {
            Manifest doc = change.deleted() ? null : parse(change);
            if (doc != null) tenant = doc.metadata().tenant();
            if (doc != null) verify(doc);
            String model = doc == null ? null : modelWaiting(doc);
            if (model != null) {
                record(change, DesiredLedger.State.PENDING, "waiting for model " + model);
                events.add(subject, "generation " + change.generation() + " waits for model " + model
                        + ", which waits for its file");
                return;
            }
            String outcome = change.deleted() ? delete(change) : applyManifest(doc);
            if (outcome == null) {
                record(change, DesiredLedger.State.PENDING, "waiting for its image");
                events.add(subject, "generation " + change.generation() + " waits for its image");
                return;
            }
            record(change, DesiredLedger.State.APPLIED, outcome);
            audit(change, tenant, StatusReport.Audit.APPLIED, outcome);
            events.add(subject, "generation " + change.generation() + " " + outcome);
        } catch (Refused r) {
            record(change, DesiredLedger.State.REFUSED, r.getMessage());
            audit(change, tenant, StatusReport.Audit.REFUSED, r.getMessage());
            events.add(subject, "generation " + change.generation() + " refused: " + r.getMessage());
        }
    }

    private void audit(DesiredChange c, String tenant, String outcome, String reason) {
        audit.record(new AuditTrail.Change(AuditTrail.GROUND, c.deleted() ? AuditTrail.DELETE : AuditTrail.APPLY,
                c.kind(), c.name(), tenant, c.generation(), outcome, reason));
    }

    /** The tenant of the object a deletion names, as applied here; null when it is not here. */
    private String tenantHere(DesiredChange c) {
        if (c.kind().equals(DesiredChange.DEVICE_GRANT)) {
            return applier.grant(c.name()).map(g -> g.metadata().tenant()).orElse(null);
        }
        if (c.kind().equals(DesiredChange.MODEL)) {
            return applier.model(c.name()).map(m -> m.metadata().tenant()).orElse(null);
        }
        if (c.kind().equals(DesiredChange.DATASET)) {
            return applier.dataset(c.name()).map(d -> d.metadata().tenant()).orElse(null);
        }
        if (c.kind().equals(DesiredChange.SECRET)) {
            return applier.secret(c.name()).map(x -> x.metadata().tenant()).orElse(null);
        }
        try {
            return c.kind().equals(DesiredChange.APP) ? reconciler.get(c.name()).app().metadata().tenant()
                    : pipelines.get(c.name()).pipeline().metadata().tenant();
        } catch (NoSuchWorkloadException | NoSuchRunException e) {
            return null;
        }
    }

    private void record(DesiredChange c, DesiredLedger.State state, String message) {
        ledger.put(new DesiredLedger.Entry(c.kind(), c.name(), c.generation(), state, c.manifest(), message,
                clock.instant()));
    }

    private String delete(DesiredChange c) throws Refused {
        try {
            if (c.kind().equals(DesiredChange.DATASET)) {
                return applier.deleteDataset(c.name()) ? "deleted" : "deleted (was not here)";
            }
            if (c.kind().equals(DesiredChange.SECRET)) {
                return applier.deleteSecret(c.name()) ? "deleted" : "deleted (was not here)";
            }
            if (c.kind().equals(DesiredChange.DEVICE_GRANT)) {
                return applier.deleteGrant(c.name()) ? "deleted" : "deleted (was not here)";
            }
            if (c.kind().equals(DesiredChange.MODEL)) {
                return applier.deleteModel(c.name()) ? "deleted" : "deleted (was not here)";
            }
            if (c.kind().equals(DesiredChange.APP)) reconciler.delete(c.name());
            else pipelines.delete(c.name());
            return "deleted";
        } catch (NoSuchWorkloadException | NoSuchRunException e) {
            return "deleted (was not here)";
        }
    }

    /**
     * A model {@code doc} uses whose Model from ground waits for its file, or null: ground sends desired changes ahead
     * of files, so an operator's Model and a tenant's Pipeline using it often arrive together, before the model's
     * file; judging the use then would refuse the Pipeline for a model that is on its way.
     */
    private String modelWaiting(Manifest doc) {
        List<io.orchide.model.AppSpec> specs = switch (doc) {
            case io.orchide.model.App a -> List.of(a.spec());
            case io.orchide.model.Pipeline p -> p.spec().steps().stream().map(io.orchide.model.Step::template)
                    .filter(java.util.Objects::nonNull).toList();
            default -> List.of();
        };
        for (io.orchide.model.AppSpec s : specs) {
            for (io.orchide.model.ModelUse use : s.models()) {
                if (ledger.get(DesiredChange.MODEL, use.name()).filter(e -> e.state() == DesiredLedger.State.PENDING)
                        .isPresent()) return use.name();
            }
        }
        return null;
    }

    /** The outcome, or null when an image it names is not here yet. */
    private String applyManifest(Manifest doc) throws Refused {
        // a Model from ground is allowed once its file (sent ahead of it) is whole, so that what ground lists as
        // applied can run
        if (doc instanceof io.orchide.model.Model m && applier.lacksFile(m)) return null;
        try {
            return switch (applier.apply(doc)) {
                case Applier.Applied a -> a.result().wire();
                case Applier.Waiting w -> null;
            };
        } catch (PipelineRefusedException e) {
            // the fields at fault too: this reason is all ground and its users see of the refusal
            throw new Refused(e.getMessage() + (e.errors().isEmpty() ? "" : ": " + String.join("; ",
                    e.errors().stream().map(Object::toString).toList())));
        } catch (AdmissionException | LaunchException | io.orchide.node.dataset.DatasetRefusedException e) {
            throw new Refused(e.getMessage());
        }
    }

    /** Refuses a manifest naming an image that is not signed as the root pinned on board requires. */
    private void verify(Manifest doc) throws Refused {
        if (trust == null) return;
        try {
            trust.check(doc);
        } catch (TrustException e) {
            throw new Refused("not booted: " + e.getMessage());
        }
    }

    private static Manifest parse(DesiredChange c) throws Refused {
        List<Manifest> docs;
        try {
            docs = Manifests.parseAll(c.manifest(), Arch.host());
        } catch (ManifestException e) {
            throw new Refused("manifest rejected: " + e.getMessage());
        }
        if (docs.size() != 1) throw new Refused("expected one manifest, got " + docs.size());
        Manifest doc = docs.getFirst();
        String kind = doc.kind();
        String name = doc.name();
        if (!kind.equals(c.kind()) || !name.equals(c.name())) {
            throw new Refused("the manifest is " + kind + " " + name + ", not " + c.kind() + " " + c.name());
        }
        return doc;
    }

    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
