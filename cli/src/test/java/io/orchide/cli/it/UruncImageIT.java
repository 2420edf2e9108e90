package io.orchide.cli.it;

import io.orchide.testkit.OciLayoutBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An OCI image built for urunc (annotations com.urunc.unikernel.*) runs here with no runtime in the manifest. */
class UruncImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void annotatedImageRunsAsTheUnikernelItDeclares() throws Exception {
        Path layout = OciLayoutBuilder.singleFile(tmp.resolve("image"), "hello.elf",
                Files.readAllBytes(Fixtures.helloKernel("x86_64")), Map.of(
                        "com.urunc.unikernel.unikernelType", "unikraft",
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
            Cli cli = new Cli(agent.server());
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
            OciLayoutBuilder.singleFile(tmp.resolve("plain"), "hello.elf", new byte[]{1, 2, 3}, Map.of());
            Cli.Result r = cli.run("apply", "-f", manifest.toString());
            assertThat(r.status()).isNotZero();
            assertThat(r.err()).contains("spec.runtime");
            assertThat(cli.run("get", "workload", "not-annotated").status()).isNotZero();
        }
    }
}
