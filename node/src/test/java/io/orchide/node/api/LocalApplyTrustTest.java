package io.orchide.node.api;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.trust.Delegation;
import io.orchide.link.trust.ImageStatement;
import io.orchide.link.trust.RootMetadata;
import io.orchide.link.trust.SignedDocument;
import io.orchide.model.message.StatusReport;
import io.orchide.node.apply.RecordingTargets;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.store.Database;
import io.orchide.node.trust.OnBoardTrust;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a node with a pinned root, an apply through the local API (someone on board with the node's token, not ground)
 * meets the rule desired state from ground meets: every content image it names must be signed for the manifest's
 * tenant by a key the root delegates to that tenant, or nothing is applied and the answer names what failed. Real
 * keys, the node's real database, the real HTTP server.
 */
class LocalApplyTrustTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final String IMAGE = "sha256:" + "ef".repeat(32);

    @TempDir
    Path tmp;
    final RecordingTargets targets = new RecordingTargets();
    final KeyPair r1 = KeyFiles.generate(), r2 = KeyFiles.generate(), r3 = KeyFiles.generate();
    final KeyPair ocean = KeyFiles.generate(), stray = KeyFiles.generate();
    final RootMetadata root = RootMetadata.of(1, 2, List.of(r1.getPublic(), r2.getPublic(), r3.getPublic()));
    Database db;
    AuditTrail audit;
    ApiServer api;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(tmp.resolve("node.db"));
        audit = new AuditTrail(db, CLOCK);
        targets.stored.add(IMAGE);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (api != null) api.close();
        db.close();
    }

    static SignedDocument sign(SignedDocument d, KeyPair... keys) {
        for (KeyPair k : keys) d = d.sign(k.getPrivate(), k.getPublic());
        return d;
    }

    OnBoardTrust serve(boolean pinRoot) throws Exception {
        Path rootFile = tmp.resolve("root.json");
        if (pinRoot) Files.writeString(rootFile, sign(root.unsigned(), r1, r2).toJson());
        OnBoardTrust trust = OnBoardTrust.open(db, rootFile);
        api = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        new NodeApi(null, null, null, io.orchide.model.Arch.X86_64, CLOCK.instant(), "test", targets.applier(), audit)
                .withTrust(trust).register(api);
        api.start();
        return trust;
    }

    HttpResponse<String> apply(String tenant) throws Exception {
        String manifest = """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello, tenant: %s}
                spec:
                  image: %s
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(tenant, IMAGE);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + api.address().getPort() + "/api/v1/apply")).POST(HttpRequest.BodyPublishers.ofString(manifest))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    String delegation(KeyPair key) {
        return delegation(1, key);
    }

    String delegation(long version, KeyPair key) {
        return sign(Delegation.of("ocean", version, List.of(key.getPublic())).unsigned(), r1, r3).toJson();
    }

    String imageSignedBy(KeyPair key) {
        return sign(new ImageStatement("ocean", "app.kernel", IMAGE).unsigned(), key).toJson();
    }

    @Test
    void anUnsignedImageIsRefusedNamingTheFieldAndNothingIsApplied() throws Exception {
        serve(true);
        HttpResponse<String> r = apply("ocean");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("untrusted").contains("spec.image").contains(IMAGE)
                .contains("App hello not booted: image " + IMAGE + " of tenant ocean: is not signed");
        assertThat(targets.applied).isEmpty();
        StatusReport.Audit a = audit.recent(1).getFirst();
        assertThat(a.origin()).isEqualTo(AuditTrail.LOCAL);
        assertThat(a.outcome()).isEqualTo(StatusReport.Audit.REFUSED);
        assertThat(a.reason()).contains("is not signed");
    }

    @Test
    void anImageSignedByAKeyTheRootNoLongerDelegatesIsRefused() throws Exception {
        OnBoardTrust trust = serve(true);
        assertThat(trust.take(List.of(delegation(1, stray), imageSignedBy(stray)))).isEmpty();
        assertThat(apply("ocean").statusCode()).isEqualTo(201);
        targets.applied.clear();
        assertThat(trust.take(List.of(delegation(2, ocean)))).isEmpty(); // the key revoked: a delegation without it
        HttpResponse<String> r = apply("ocean");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("is signed by key " + KeyFiles.fingerprint(stray.getPublic())
                + ", which the root does not delegate to tenant ocean");
        assertThat(targets.applied).isEmpty();
    }

    @Test
    void anotherTenantsSignedImageIsRefusedAndOneSignedByADelegatedKeyIsApplied() throws Exception {
        OnBoardTrust trust = serve(true);
        assertThat(trust.take(List.of(delegation(ocean), imageSignedBy(ocean)))).isEmpty();
        HttpResponse<String> fire = apply("fire");
        assertThat(fire.statusCode()).isEqualTo(403);
        assertThat(fire.body()).contains("is signed for tenant ocean, not for tenant fire");
        assertThat(targets.applied).isEmpty();

        HttpResponse<String> r = apply("ocean");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(targets.applied).containsExactly("App hello");
    }

    @Test
    void aNodeWithoutARootAppliesAnUnsignedImageAsBefore() throws Exception {
        serve(false);
        assertThat(apply("ocean").statusCode()).isEqualTo(201);
        assertThat(targets.applied).containsExactly("App hello");
    }
}
