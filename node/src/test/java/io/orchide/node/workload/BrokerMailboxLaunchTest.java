package io.orchide.node.workload;

import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.model.Monitor;
import io.orchide.node.broker.BrokerMailbox;
import io.orchide.node.broker.BrokerSockets;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.solo5.Solo5Driver;
import io.orchide.testkit.Solo5Images;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the Solo5 driver's tender is told to attach for a granted guest whose image declares the mailbox's block
 * device: a fresh mailbox of the attempt as {@code --block:orchidebroker=FILE}, removed when the attempt is cleaned up.
 */
class BrokerMailboxLaunchTest {
    @TempDir
    Path tmp;

    private Path mailboxes;
    private WorkloadLauncher launcher;

    @BeforeEach
    void setUp() throws Exception {
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        Path socket = layout.brokerSocket("app", "asker");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, ""); // stands for the bound socket: the launcher needs it to exist
        mailboxes = Files.createDirectories(BrokerSockets.mailboxesOf(socket));
        Path tender = tmp.resolve("bin/solo5-spt");
        Files.createDirectories(tender.getParent());
        Files.writeString(tender, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(tender, PosixFilePermissions.fromString("rwxr-xr-x"));
        RuntimeConfig rc = new RuntimeConfig(null, Map.of(Monitor.SOLO5_SPT, tender), Accel.AUTO, 0, tmp.resolve("state"));
        launcher = new WorkloadLauncher(new Drivers(List.of(new Solo5Driver(rc))), null, new ImageResolver(),
                new ContentImages(layout.images()), layout, WorkloadLauncher.SecretValues.NONE,
                (app, owner) -> owner.name().equals("asker") ? Optional.of(socket) : Optional.empty());
    }

    /** An image that declares the block device {@code storage}, and {@code orchidebroker} when asked. */
    private Path image(String name, boolean broker) throws Exception {
        return broker ? Solo5Images.compile(tmp, name, "-DWITH_BROKER") : Solo5Images.compile(tmp, name);
    }

    private App app(String name, Path image) throws Exception {
        return Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: ocean-team}
                spec:
                  image: %s
                  runtime: {family: mirage, monitor: solo5-spt}
                  resources: {vcpus: 1, memoryMiB: 32}
                  outputs: [{name: storage, path: %s, sizeMiB: 1}]
                """.formatted(name, image, tmp.resolve(name + "-storage.img")), Arch.host());
    }

    @Test
    void aGrantedGuestWhoseImageDeclaresTheMailboxGetsOneOfItsOwnAttemptAsThatBlockDevice() throws Exception {
        App asker = app("asker", image("asker.elf", true));
        Path runDir = tmp.resolve("run-asker-1");
        List<String> cmd = launcher.prepare(asker, runDir).launch().command();
        Path mailbox = BrokerMailbox.fileFor(mailboxes, runDir);
        assertThat(cmd).contains("--block:orchidebroker=" + mailbox);
        assertThat(cmd.indexOf("--block:orchidebroker=" + mailbox)).isLessThan(cmd.indexOf("--"));
        assertThat(mailbox).isRegularFile().hasSize(BrokerMailbox.SIZE);
        // another attempt gets another mailbox; the first goes when its attempt is cleaned up
        Path second = BrokerMailbox.fileFor(mailboxes, tmp.resolve("run-asker-2"));
        assertThat(launcher.prepare(asker, tmp.resolve("run-asker-2")).launch().command())
                .contains("--block:orchidebroker=" + second);
        launcher.resolve(asker).driver().cleanup(asker, runDir);
        assertThat(mailbox).doesNotExist();
        assertThat(second).exists();
    }

    @Test
    void aGuestThatDoesNotDeclareTheMailboxGetsNoneEvenWithAGrant() throws Exception {
        List<String> cmd = launcher.prepare(app("asker", image("plain.elf", false)), tmp.resolve("run-plain")).launch().command();
        assertThat(String.join(" ", cmd)).doesNotContain("orchidebroker");
        assertThat(mailboxes).isEmptyDirectory();
    }

    @Test
    void aGuestThatDeclaresTheMailboxWithoutAGrantIsRefusedAtStartSayingWhyButPassesPreflight() throws Exception {
        App outsider = app("outsider", image("outsider.elf", true));
        assertThatThrownBy(() -> launcher.prepare(outsider, tmp.resolve("run-outsider")))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("spec.image").hasMessageContaining("'orchidebroker'")
                .hasMessageContaining("no grant of tenant ocean-team names app outsider");
        // a grant may come after the App: applying it is not refused
        launcher.preflight(outsider);
    }

    @Test
    void anAppMayNotNameAnOutputOfItsOwnAfterTheMailbox() throws Exception {
        App own = Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: asker, tenant: ocean-team}
                spec:
                  image: %s
                  runtime: {family: mirage, monitor: solo5-spt}
                  resources: {vcpus: 1, memoryMiB: 32}
                  outputs: [{name: storage, path: %s, sizeMiB: 1}, {name: orchidebroker, path: %s, sizeMiB: 1}]
                """.formatted(image("own.elf", true), tmp.resolve("s.img"), tmp.resolve("mine.img")), Arch.host());
        assertThatThrownBy(() -> launcher.preflight(own)).isInstanceOf(LaunchException.class)
                .hasMessageContaining("spec.outputs[1].name").hasMessageContaining("broker's mailbox");
        assertThatThrownBy(() -> launcher.prepare(own, tmp.resolve("run-own"))).isInstanceOf(LaunchException.class)
                .hasMessageContaining("spec.outputs[1].name");
        assertThat(tmp.resolve("mine.img")).doesNotExist();
    }
}
