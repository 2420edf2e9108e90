package io.orchide.twin.run;

import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.link.secure.KeyFiles;
import io.orchide.model.Manifest;
import io.orchide.node.NodeAgent;
import io.orchide.node.NodeConfig;
import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.twin.link.LinkShape;
import io.orchide.twin.link.Radio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A satellite of one node and its ground, in-process and on one clock, installed as the twin installs them: ground
 * with its own key, the node with its own key registered on ground, ground's key and (when given) the twin's root
 * pinned; the twin's radio between them and the node's contact switched with it, as the contact plan does.
 * {@link #close} deletes the workloads it names (a VM outlives its agent, by design), then stops everything.
 */
final class GroundAndNode implements AutoCloseable {
    static final String SAT = "sat-1";

    final GroundServer ground;
    final String api;
    final String admin;
    final NodeLayout layout;
    final String nodeApi;
    final HttpJson node;
    private final Radio radio;
    private final ContactSwitch contact;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> workloads = new ArrayList<>();

    private GroundAndNode(GroundServer ground, String admin, NodeLayout layout, Radio radio, NodeAgent agent) {
        this.ground = ground;
        this.api = "http://127.0.0.1:" + ground.apiAddress().getPort();
        this.admin = admin;
        this.layout = layout;
        this.radio = radio;
        this.nodeApi = "http://127.0.0.1:" + agent.address().getPort();
        this.node = new HttpJson(() -> {
            try {
                return NodeToken.read(layout.token()).value();
            } catch (IOException e) {
                return null;
            }
        });
        this.contact = new ContactSwitch(nodeApi + "/api/v1/link", node);
        open.add(ground);
        open.add(radio);
        open.add(agent);
        open.add(contact);
    }

    /** Ground and the node under {@code dir}, on {@code clock}, with {@code trust}'s root pinned (none when null). */
    static GroundAndNode start(Path dir, Clock clock, TrustRig trust) throws Exception {
        GroundConfig cfg = GroundConfig.builder().dataDir(dir.resolve("ground"))
                .listen(new InetSocketAddress("127.0.0.1", 0)).linkListen("127.0.0.1:0").clock(clock).build();
        Path[] groundKey = cfg.groundKey();
        Files.createDirectories(groundKey[0].getParent());
        KeyFiles.create(groundKey[0], groundKey[1]);
        GroundServer ground = GroundServer.start(cfg);
        String admin = Files.readString(dir.resolve("ground/admin.token")).strip();
        NodeLayout layout = NodeLayout.of(dir.resolve("node"));
        Files.createDirectories(layout.root());
        KeyFiles.create(layout.nodeKey(), layout.nodePublicKey());
        if (trust != null) Files.copy(trust.rootFile(), layout.trustRoot());
        ground.nodeKeys().register(SAT, KeyFiles.readPublic(layout.nodePublicKey()), "twin");
        Radio radio = Radio.start(SAT, List.of(ground.linkAddress()), clock, 1);
        NodeAgent agent = NodeAgent.start(new NodeConfig(layout.root(), new InetSocketAddress("127.0.0.1", 0),
                new Capacity(2, 512), null, null, 64 * 1024, clock, null,
                new NodeConfig.GroundSettings(SAT, radio.addresses().getFirst(), "obc", 0, Duration.ofMillis(200), null,
                        null, List.of(groundKey[1])), null));
        return new GroundAndNode(ground, admin, layout, radio, agent);
    }

    /** A station comes into view (the radio carries bytes, the node's contact opens), or none is. */
    void contact(boolean inView) {
        if (inView) radio.open(LinkShape.UNLIMITED);
        else radio.close("loss of signal");
        contact.set(inView, false);
    }

    /** Applies {@code manifest} to the satellite through ground as the platform admin, its images signed by {@code signer}. */
    void apply(ImageSigner signer, Path manifest) {
        List<Manifest> docs = signer.byContent(api, admin, io.orchide.model.Metadata.DEFAULT_TENANT, manifest);
        docs.forEach(d -> workloads.add(d.name()));
        ManifestApplier.throughGround().apply(api, admin, docs, SAT);
    }

    /** The workload's state on the node, {@code absent} when it holds none of that name. */
    String state(String workload) {
        try {
            return node.get(nodeApi + "/api/v1/workloads/" + workload).path("state").asText();
        } catch (IOException e) {
            return "absent";
        }
    }

    @Override
    public void close() throws Exception {
        for (String w : workloads) {
            try {
                node.delete(nodeApi + "/api/v1/workloads/" + w);
            } catch (IOException e) {
                // not there
            }
        }
        for (AutoCloseable c : open.reversed()) c.close();
    }
}
