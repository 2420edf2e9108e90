package io.orchide.cli;

import io.orchide.twin.process.Launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the roles of this distribution for the digital twin: through the {@code orchide} launcher when it is there
 * (the same JDK choice and JVM settings as an agent in flight), else with this JVM on the jar.
 */
final class DistributionLauncher implements Launcher {
    private final Path home;

    DistributionLauncher(Path home) {
        this.home = home;
    }

    @Override
    public List<String> command(String role, List<String> args) {
        List<String> cmd = new ArrayList<>();
        Path script = home.resolve("orchide");
        if (Files.isExecutable(script)) {
            cmd.add(script.toString());
        } else {
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorchide.home=" + home, "-jar", home.resolve("cli/target/orchide.jar").toString()));
        }
        cmd.add(role);
        cmd.addAll(args);
        return cmd;
    }
}
