package io.orchide.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchide.cli.TestAccess;
import io.orchide.runtime.image.OciImageLayoutWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An OCI image built for urunc (annotations com.urunc.unikernel.*) runs here with no runtime in the manifest. */
class UruncImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void annotatedImageRunsAsTheUnikernelItDeclares() throws Exception {
        OciImageLayoutWriter.write(tmp.resolve("image"), "amd64",
                List.of(new OciImageLayoutWriter.File("hello.elf", Files.readAllBytes(Fixtures.helloKernel("x86_64")), 0644)),
                Map.of("com.urunc.unikernel.unikernelType", "unikraft",
                        "com.urunc.unikernel.hypervisor", "qemu",
                        "com.urunc.unikernel.binary", "/hello.elf",
                        "com.urunc.unikernel.cmdline", "message=from-an-oci-image"));
        Path manifest = tmp.resolve("urunc.yaml");
        Files.writeString(manifest, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: from-oci}
                spec:
                  image: image
                  resources: {vcpus: 1, memoryMiB: 32}
                """);
        try (Agent agent = new Agent(tmp.resolve("node"), Fixtures.freePort()).start()) {
            Cli cli = agent.cli();
            assertThat(cli.ok("apply", "-f", manifest.toString())).contains("app/from-oci created");
            assertThat(cli.ok("wait", "workload", "from-oci", "--timeout", "60s")).contains("Succeeded");
            assertThat(cli.ok("logs", "from-oci")).contains("from-an-oci-image");
            JsonNode d = JSON.readTree(cli.ok("describe", "workload", "from-oci", "-o", "json"));
            assertThat(d.path("family").asText()).isEqualTo("unikraft");
            assertThat(d.path("monitor").asText()).isEqualTo("qemu");
            assertThat(d.path("runs").get(0).path("success").asBoolean()).isTrue();
            cli.ok("delete", "workload", "from-oci");

            Files.writeString(manifest, Files.readString(manifest).replace("from-oci", "not-annotated")
                    .replace("image: image", "image: plain"));
            OciImageLayoutWriter.write(tmp.resolve("plain"), "amd64",
                    List.of(new OciImageLayoutWriter.File("hello.elf", new byte[]{1, 2, 3}, 0644)), Map.of());
            Cli.Result r = cli.run("apply", "-f", manifest.toString());
            assertThat(r.status()).isNotZero();
            assertThat(r.err()).contains("spec.runtime");
            assertThat(cli.run("get", "workload", "not-annotated").status()).isNotZero();
        }
    }

    @Test
    void anImagePackedFromAKernelRunsWithTheCommandLineItCarries() throws Exception {
        Path kernel = Fixtures.helloKernel("x86_64");
        Path image = tmp.resolve("packed");
        Path manifest = tmp.resolve("packed.yaml");
        Files.writeString(manifest, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: packed}
                spec:
                  image: packed
                  resources: {vcpus: 1, memoryMiB: 32}
                """);
        try (Agent agent = new Agent(tmp.resolve("node"), Fixtures.freePort()).start()) {
            Cli cli = agent.cli();
            Cli.Result packed = local("image", "pack", "--kernel", kernel.toString(), "--family", "unikraft",
                    "--monitor", "qemu", "--cmdline", "message=packed-by-orchide exit=0", "-o", image.toString());
            assertThat(packed.status()).as(packed.err()).isZero();
            assertThat(packed.out()).contains("image/packed packed: unikraft on qemu, x86_64");
            assertThat(cli.ok("apply", "-f", manifest.toString())).contains("app/packed created");
            assertThat(cli.ok("wait", "workload", "packed", "--timeout", "60s")).contains("Succeeded");
            assertThat(cli.ok("logs", "packed")).contains("packed-by-orchide");
            String described = cli.ok("describe", "workload", "packed");
            assertThat(described).contains("unikraft on qemu (x86_64)")
                    .contains("cmdline:   message=packed-by-orchide exit=0  (carried by the image)");

            Cli.Result again = local("image", "pack", "--kernel", kernel.toString(), "--family", "unikraft",
                    "--monitor", "qemu", "-o", image.toString());
            assertThat(again.status()).isNotZero();
            assertThat(again.err()).contains("-o: must be a new or an empty directory (got " + image + ")");
        }
    }

    /** A verb that works on local files only, so takes no --server. */
    private static Cli.Result local(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            int rc = TestAccess.run(args, o, e);
            return new Cli.Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
        }
    }
}
