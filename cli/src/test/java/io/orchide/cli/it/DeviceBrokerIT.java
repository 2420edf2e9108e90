package io.orchide.cli.it;

import io.orchide.testkit.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device inventory, a grant and the pull socket through the real distribution: a node started with a devices
 * file, a grant applied with the CLI, a process asking the broker through its socket, what the CLI shows after.
 */
class DeviceBrokerIT {
    @TempDir
    Path tmp;

    @Test
    void aGrantedProcessReadsAndReconfiguresADeviceAndTheCliShowsIt() throws Exception {
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), """
                discover: false
                devices:
                  - {name: camera-1, class: camera, properties: {gain: "2"}}
                  - {name: gnss-1, class: gnss}
                """);
        Path grant = Files.writeString(tmp.resolve("grant.yaml"), """
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: ocean-camera, tenant: ocean-team}
                spec:
                  device: camera-1
                  pipelines: [probe]
                  verbs: [read, configure]
                  quota: {perDay: 2}
                """);
        Path data = tmp.resolve("node");
        try (Agent agent = new Agent(data, Fixtures.freePort(), "--devices", devices.toString()).start()) {
            Cli cli = agent.cli();
            assertThat(cli.ok("get", "devices")).containsPattern("camera-1\\s+camera\\s+ready\\s+-")
                    .containsPattern("gnss-1\\s+gnss\\s+ready\\s+-");
            cli.ok("apply", "-f", grant.toString());

            Path socket = data.resolve("broker/pipeline-probe.sock");
            List<String> answers = python(socket, "{\"id\": 1, \"verb\": \"configure\", \"device\": \"camera-1\", "
                    + "\"properties\": {\"gain\": \"8\"}}", "{\"id\": 2, \"verb\": \"read\", \"device\": \"camera-1\"}",
                    "{\"id\": 3, \"verb\": \"read\", \"device\": \"camera-1\"}");
            assertThat(answers.get(0)).contains("\"ok\":true", "\"pending\":{\"gain\":\"8\"}");
            assertThat(answers.get(1)).contains("\"ok\":true");
            assertThat(answers.get(2)).contains("\"ok\":false", "quota_exceeded", "2 per day");

            String described = cli.ok("describe", "device", "camera-1");
            assertThat(described).containsPattern("gain\\s+8\\s+-\\s+pending")
                    .containsPattern("ocean-camera\\s+ocean-team\\s+pipeline/probe\\s+read,configure\\s+always\\s+2/day\\s+2/2")
                    .contains("Lease: free");
            assertThat(cli.ok("get", "devices", "camera-1", "-o", "json")).contains("\"desired\"").contains("\"grants\"");
            assertThat(cli.ok("get", "audit", "--limit", "5").isEmpty()).isFalse();
        }
    }

    @Test
    void aBadDevicesFileStopsTheNodeNamingTheFieldAndValue() throws Exception {
        Path devices = Files.writeString(tmp.resolve("devices.yaml"), "devices: [{name: cam-1, class: telescope}]\n");
        List<String> cmd = ServiceProcess.orchide(List.of(), List.of("node", "--data-dir", tmp.resolve("node").toString(),
                "--listen", "127.0.0.1:" + Fixtures.freePort(), "--devices", devices.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("devices[0].class").contains("telescope");
    }

    private static List<String> python(Path socket, String... requests) throws Exception {
        String client = """
                import os, socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(os.environ["ORCHIDE_BROKER"])
                f = s.makefile("rw")
                for req in sys.argv[1:]:
                    f.write(req + "\\n"); f.flush()
                    print(f.readline().strip())
                """;
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", client));
        cmd.addAll(List.of(requests));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("ORCHIDE_BROKER", socket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().toList();
    }
}
