package io.orchide.node.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.StatusReport;
import io.orchide.node.api.NodeApi;
import io.orchide.node.apply.Applier;
import io.orchide.node.apply.RecordingTargets;
import io.orchide.node.store.Database;
import io.orchide.web.ApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manifest sent through the local API and the same manifest arriving from ground meet the same rules, because both
 * go through the node's one {@link Applier}: a content image the node lacks stops it on either side (ground's change
 * waits for the image, the API refuses naming the field and the image), and an unchanged manifest answers
 * {@code unchanged} on both.
 */
class ApplyFromBothSidesTest {
    static final String IMAGE = "sha256:" + "cd".repeat(32);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final String MANIFEST = """
            apiVersion: orchide.io/v1
            kind: App
            metadata: {name: hello}
            spec:
              image: %s
              runtime: {family: unikraft, monitor: qemu, arch: x86_64}
              resources: {vcpus: 1, memoryMiB: 32}
            """.formatted(IMAGE);

    @TempDir
    Path tmp;
    final RecordingTargets targets = new RecordingTargets();
    Database db;
    DesiredLedger ledger;
    NodeEvents events;
    DesiredApplier fromGround;
    ApiServer api;

    @BeforeEach
    void setUp() throws Exception {
        Applier applier = targets.applier();
        db = Database.open(tmp.resolve("node.db"));
        ledger = new DesiredLedger(db);
        events = new NodeEvents(CLOCK);
        fromGround = new DesiredApplier(applier, null, null, ledger, events, new io.orchide.node.audit.AuditTrail(db, CLOCK), CLOCK);
        api = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        new NodeApi(null, null, null, io.orchide.model.Arch.X86_64, CLOCK.instant(), "test", applier).register(api);
        api.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        api.close();
        db.close();
    }

    HttpResponse<String> applyLocally(String manifest) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + api.address().getPort() + "/api/v1/apply")).POST(HttpRequest.BodyPublishers.ofString(manifest))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String result(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body()).get("result").asText();
    }

    String lastEvent() {
        return events.peek().getLast().message();
    }

    @Test
    void anAppNamingAContentImageTheNodeLacksIsHeldFromGroundAndRefusedLocallyAndReachesNothing() throws Exception {
        fromGround.apply(new DesiredChange(DesiredChange.APP, "hello", 1, MANIFEST));
        HttpResponse<String> local = applyLocally(MANIFEST);

        assertThat(ledger.get("App", "hello").orElseThrow().state()).isEqualTo(DesiredLedger.State.PENDING);
        assertThat(lastEvent()).isEqualTo("generation 1 waits for its image");
        assertThat(local.statusCode()).isEqualTo(409);
        assertThat(local.body()).contains("App hello not applied: waiting for content image " + IMAGE)
                .contains("spec.image").contains(IMAGE);
        assertThat(targets.applied).isEmpty();

        targets.stored.add(IMAGE);
        fromGround.retryPending();
        assertThat(targets.applied).containsExactly("App hello");
        assertThat(lastEvent()).isEqualTo("generation 1 created");
    }

    @Test
    void anUnchangedManifestAnswersUnchangedFromBothSides() throws Exception {
        targets.stored.add(IMAGE);
        assertThat(result(applyLocally(MANIFEST))).isEqualTo("created");

        fromGround.apply(new DesiredChange(DesiredChange.APP, "hello", 1, MANIFEST));
        HttpResponse<String> again = applyLocally(MANIFEST);

        assertThat(lastEvent()).isEqualTo("generation 1 unchanged");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(result(again)).isEqualTo("unchanged");
        assertThat(targets.applied).containsExactly("App hello");
    }

    @Test
    void aDatasetFromGroundIsDeclaredThroughTheSamePathAndForgottenWhenDeleted() throws Exception {
        String ocean = """
                apiVersion: orchide.io/v1
                kind: Dataset
                metadata: {name: archive, tenant: ocean-team}
                spec: {quota: {files: 10}}
                """;
        fromGround.apply(new DesiredChange(DesiredChange.DATASET, "archive", 1, ocean));
        assertThat(lastEvent()).isEqualTo("generation 1 created");
        assertThat(targets.datasets).containsKey("archive");

        assertThat(result(applyLocally(ocean))).isEqualTo("unchanged");
        fromGround.apply(new DesiredChange(DesiredChange.DATASET, "archive", 2, null));
        assertThat(lastEvent()).isEqualTo("generation 2 deleted");
        assertThat(targets.datasets).doesNotContainKey("archive");
        assertThat(targets.applied).containsExactly("Dataset archive", "delete Dataset archive");
    }

    @Test
    void aDeviceGrantFromGroundReachesTheBrokersGrantsThroughTheSamePathAndIsWithdrawnWhenDeleted() throws Exception {
        io.orchide.node.broker.GrantStore grants = new io.orchide.node.broker.GrantStore(db, CLOCK);
        io.orchide.node.audit.AuditTrail audit = new io.orchide.node.audit.AuditTrail(db, CLOCK);
        Applier applier = targets.applier().withGrants(new Applier.GrantSide() {
            @Override
            public io.orchide.node.workload.ApplyResult apply(io.orchide.model.DeviceGrant grant) {
                return grants.apply(grant);
            }

            @Override
            public java.util.Optional<io.orchide.model.DeviceGrant> applied(String name) {
                return grants.get(name);
            }

            @Override
            public boolean delete(String name) {
                return grants.delete(name);
            }
        });
        DesiredApplier withBroker = new DesiredApplier(applier, null, null, ledger, events, audit, CLOCK);
        String grant = """
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: ocean-camera, tenant: ocean-team}
                spec: {device: camera-1, apps: [probe], verbs: [capture], quota: {perOrbit: 40}}
                """;
        withBroker.apply(new DesiredChange(DesiredChange.DEVICE_GRANT, "ocean-camera", 1, grant));
        assertThat(lastEvent()).isEqualTo("generation 1 created");
        assertThat(grants.get("ocean-camera").orElseThrow().covers("ocean-team", "app", "probe")).isTrue();
        assertThat(new io.orchide.node.broker.GrantStore(db, CLOCK).list()).as("kept in node.db").hasSize(1);

        withBroker.apply(new DesiredChange(DesiredChange.DEVICE_GRANT, "ocean-camera", 2, null));
        assertThat(lastEvent()).isEqualTo("generation 2 deleted");
        assertThat(grants.list()).isEmpty();
        assertThat(audit.recent(2)).extracting(StatusReport.Audit::verb, StatusReport.Audit::kind,
                StatusReport.Audit::tenant, StatusReport.Audit::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("delete", "DeviceGrant", "ocean-team", StatusReport.Audit.APPLIED),
                org.assertj.core.groups.Tuple.tuple("apply", "DeviceGrant", "ocean-team", StatusReport.Audit.APPLIED));
    }

    @Test
    void aModelFromGroundWaitsForItsFileThenReachesTheModelRegistryAndIsWithdrawnWhenDeleted() throws Exception {
        io.orchide.node.inference.ModelRegistry models = new io.orchide.node.inference.ModelRegistry(db, CLOCK);
        io.orchide.node.audit.AuditTrail audit = new io.orchide.node.audit.AuditTrail(db, CLOCK);
        Applier applier = applierWith(models);
        DesiredApplier withModels = new DesiredApplier(applier, null, null, ledger, events, audit, CLOCK);
        String model = cloudMaskModel();

        withModels.apply(new DesiredChange(DesiredChange.MODEL, "cloud-mask", 1, model));
        assertThat(ledger.get("Model", "cloud-mask").orElseThrow().state()).isEqualTo(DesiredLedger.State.PENDING);
        assertThat(lastEvent()).isEqualTo("generation 1 waits for its image");
        assertThat(models.list()).as("not allowed before its file is here").isEmpty();
        assertThat(audit.recent(5)).as("a waiting change is not audited yet").isEmpty();

        targets.stored.add(IMAGE);
        withModels.retryPending();
        assertThat(lastEvent()).isEqualTo("generation 1 created");
        assertThat(models.get("cloud-mask").orElseThrow().allows("ocean-team", "cpu")).isTrue();
        assertThat(new io.orchide.node.inference.ModelRegistry(db, CLOCK).list()).as("kept in node.db").hasSize(1);

        withModels.apply(new DesiredChange(DesiredChange.MODEL, "cloud-mask", 2, null));
        assertThat(lastEvent()).isEqualTo("generation 2 deleted");
        assertThat(models.list()).isEmpty();
        assertThat(audit.recent(2)).extracting(StatusReport.Audit::verb, StatusReport.Audit::kind,
                StatusReport.Audit::tenant, StatusReport.Audit::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("delete", "Model", "ocean-team", StatusReport.Audit.APPLIED),
                org.assertj.core.groups.Tuple.tuple("apply", "Model", "ocean-team", StatusReport.Audit.APPLIED));
    }

    /**
     * Ground sends desired changes ahead of files: an operator's Model and a tenant's Pipeline using it arrive before
     * the model's file. The Pipeline waits for the Model, as the Model waits for its file, and both are applied once
     * the file is here, whatever order the node retries them in; a Pipeline using a model no Model from ground names
     * is still refused at once.
     */
    @Test
    void aPipelineUsingAModelThatWaitsForItsFileWaitsWithItAndIsAppliedAfterIt() throws Exception {
        io.orchide.node.inference.ModelRegistry models = new io.orchide.node.inference.ModelRegistry(db, CLOCK);
        Applier applier = applierWith(models);
        DesiredApplier withModels = new DesiredApplier(applier, null, null, ledger, events,
                new io.orchide.node.audit.AuditTrail(db, CLOCK), CLOCK);
        String model = cloudMaskModel();
        String pipeline = """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: %s, tenant: ocean-team}
                spec:
                  steps:
                    - name: infer
                      template:
                        image: /opt/cloudinfer.elf
                        runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                        models: [%s]
                """;

        withModels.apply(new DesiredChange(DesiredChange.MODEL, "cloud-mask", 1, model));
        withModels.apply(new DesiredChange(DesiredChange.PIPELINE, "cloud-infer", 1, pipeline.formatted("cloud-infer", "cloud-mask")));
        assertThat(lastEvent()).isEqualTo("generation 1 waits for model cloud-mask, which waits for its file");
        assertThat(ledger.get("Pipeline", "cloud-infer").orElseThrow().state()).isEqualTo(DesiredLedger.State.PENDING);
        withModels.apply(new DesiredChange(DesiredChange.PIPELINE, "ship-infer", 1, pipeline.formatted("ship-infer", "ship-detect")));
        assertThat(ledger.get("Pipeline", "ship-infer").orElseThrow().state()).isEqualTo(DesiredLedger.State.REFUSED);
        assertThat(lastEvent()).isEqualTo("generation 1 refused: Pipeline ship-infer uses a model it may not use: "
                + "spec.steps[0].template.models[0]: no model of this name is applied on this node (kind: Model) (got ship-detect)");
        assertThat(targets.applied).isEmpty();

        targets.stored.add(IMAGE);
        withModels.retryPending();
        assertThat(models.get("cloud-mask")).isPresent();
        assertThat(ledger.get("Pipeline", "cloud-infer").orElseThrow().state()).isEqualTo(DesiredLedger.State.APPLIED);
        assertThat(targets.applied).containsExactly("Pipeline cloud-infer");
    }

    @Test
    void whereARootIsPinnedAModelFromGroundWhoseFileIsNotSignedForItsTenantIsRefusedNotHeldAndASignedOneWaitsForItsFile()
            throws Exception {
        java.security.KeyPair r1 = io.orchide.link.secure.KeyFiles.generate();
        java.security.KeyPair ocean = io.orchide.link.secure.KeyFiles.generate();
        java.nio.file.Path root = java.nio.file.Files.writeString(tmp.resolve("root.json"),
                io.orchide.link.trust.RootMetadata.of(1, 1, java.util.List.of(r1.getPublic())).unsigned()
                        .sign(r1.getPrivate(), r1.getPublic()).toJson());
        io.orchide.node.trust.OnBoardTrust trust = io.orchide.node.trust.OnBoardTrust.open(db, root);
        io.orchide.node.inference.ModelRegistry models = new io.orchide.node.inference.ModelRegistry(db, CLOCK);
        Applier applier = applierWith(models);
        DesiredApplier signed = new DesiredApplier(applier, null, null, ledger, events,
                new io.orchide.node.audit.AuditTrail(db, CLOCK), CLOCK, trust);
        String model = cloudMaskModel();

        signed.apply(new DesiredChange(DesiredChange.MODEL, "cloud-mask", 1, model));
        assertThat(ledger.get("Model", "cloud-mask").orElseThrow().state()).isEqualTo(DesiredLedger.State.REFUSED);
        assertThat(lastEvent()).startsWith("generation 1 refused: not booted:").contains(IMAGE);

        String delegation = io.orchide.link.trust.Delegation.of("ocean-team", 1, java.util.List.of(ocean.getPublic()))
                .unsigned().sign(r1.getPrivate(), r1.getPublic()).toJson();
        String signature = new io.orchide.link.trust.ImageStatement("ocean-team", "cloud-mask.onnx", IMAGE).unsigned()
                .sign(ocean.getPrivate(), ocean.getPublic()).toJson();
        signed.apply(new DesiredChange(DesiredChange.MODEL, "cloud-mask", 2, model, java.util.List.of(delegation, signature)));
        assertThat(lastEvent()).isEqualTo("generation 2 waits for its image");
        targets.stored.add(IMAGE);
        signed.retryPending();
        assertThat(lastEvent()).isEqualTo("generation 2 created");
        assertThat(models.get("cloud-mask")).isPresent();
    }

    /** The test targets' applier, its Models kept in {@code models}. */
    private Applier applierWith(io.orchide.node.inference.ModelRegistry models) {
        return targets.applier().withModels(new Applier.ModelSide() {
            @Override
            public java.util.Optional<io.orchide.model.Model> get(String name) {
                return models.get(name);
            }

            @Override
            public io.orchide.node.workload.ApplyResult apply(io.orchide.model.Model model) {
                return models.apply(model);
            }

            @Override
            public boolean delete(String name) {
                return models.delete(name);
            }
        });
    }

    /** The Model cloud-mask of ocean-team, whose file is IMAGE. */
    private static String cloudMaskModel() {
        return """
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: cloud-mask, tenant: ocean-team}
                spec: {digest: "%s", version: "1", accelerators: [cpu]}
                """.formatted(IMAGE);
    }
}
