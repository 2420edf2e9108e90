package io.orchide.node.workload;

import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.node.image.ContentImages;
import io.orchide.node.layout.NodeLayout;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.image.ImageResolver;
import io.orchide.runtime.qemu.QemuDriver;
import io.orchide.testkit.Examples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the real qemu driver is told to share with a granted virtual machine: the request directory as the 9p tag
 * {@code orchide-broker}, mounted at {@code /run/orchide/broker} where the family mounts by path; nothing for a
 * Unikraft kernel that cannot be told to mount, nor for a workload without a grant.
 */
class BrokerShareTest {
    @TempDir
    Path tmp;

    private Path socket;
    private Path requests;
    private WorkloadLauncher launcher;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86_64 is not installed");
        NodeLayout layout = NodeLayout.of(tmp.resolve("node"));
        socket = layout.brokerSocket("app", "asker");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, ""); // stands for the bound socket: the launcher needs it to exist
        requests = Files.createDirectories(tmp.resolve("node/broker/app-asker.d"));
        RuntimeConfig rc = new RuntimeConfig(Path.of("/bin/true"), Map.of(), Accel.TCG, 1 << 16, tmp.resolve("state"));
        launcher = new WorkloadLauncher(new Drivers(List.of(new QemuDriver(rc))), null, new ImageResolver(),
                new ContentImages(layout.images()), layout, WorkloadLauncher.SecretValues.NONE,
                (app, owner) -> owner.name().equals("asker") ? Optional.of(socket) : Optional.empty());
    }

    private List<String> command(String name, String family, Path kernel) throws Exception {
        App app = Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s, tenant: ocean-team}
                spec:
                  image: %s
                  runtime: {family: %s, monitor: qemu, arch: x86_64}
                  resources: {vcpus: 1, memoryMiB: 32}
                """.formatted(name, kernel, family), Arch.X86_64);
        return launcher.prepare(app, tmp.resolve("run-" + name + "-" + family)).launch().command();
    }

    /** The brokerask kernel as ELF64, with or without Unikraft's library-parameter section. */
    private Path unikraftKernel(boolean libParams) throws Exception {
        Path elf = Examples.make("examples/unikernels/brokerask").resolve("build/brokerask-x86_64.elf64");
        if (!libParams) return elf;
        Path out = tmp.resolve("uk-params.elf");
        Process p = new ProcessBuilder("objcopy", "--add-section", ".uk_libparam_params=/dev/null", elf.toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(log).isTrue();
        return out;
    }

    @Test
    void aGrantedMultibootKernelFindsTheRequestDirectoryByItsTag() throws Exception {
        Path kernel = Examples.make("examples/unikernels/brokerask").resolve("build/brokerask-x86_64.elf");
        String cmd = String.join(" ", command("asker", "multiboot", kernel));
        assertThat(cmd).contains("path=" + requests + ",").contains("mount_tag=orchide-broker");
        assertThat(String.join(" ", command("outsider", "multiboot", kernel))).doesNotContain("orchide-broker");
    }

    @Test
    void aGrantedUnikraftKernelMountsItAtAFixedPathAndIsToldWhere() throws Exception {
        String cmd = String.join(" ", command("asker", "unikraft", unikraftKernel(true)));
        assertThat(cmd).contains("mount_tag=orchide-broker", "env.vars=[ ORCHIDE_BROKER_DIR=/run/orchide/broker ]",
                "\"orchide-broker:/run/orchide/broker:9pfs:::mkmp\"");
        // one built without library parameters cannot be told to mount: it starts as it would without a grant
        assertThat(String.join(" ", command("asker", "unikraft", unikraftKernel(false)))).doesNotContain("orchide-broker");
    }
}
