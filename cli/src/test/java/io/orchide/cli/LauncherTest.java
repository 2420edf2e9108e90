package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher chooses the JDK once: a later call finds its answer by the candidates' paths and times and starts
 * no JVM to ask a candidate its version. Run against a copy of the launcher whose jar is a stand-in, with a JDK
 * that counts its starts (it hands every start to the JDK running this test).
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("orchide.repo", "..")).toAbsolutePath()
            .normalize().resolve("orchide");

    @Test
    void aSecondCallStartsOneJvmAndAChangedJdkIsAskedAgain(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.copy(LAUNCHER, root.resolve("orchide"));
        Files.createDirectories(root.resolve("cli/target"));
        Path starts = dir.resolve("starts");
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
        Path fakeJava = script(jdk.resolve("java"), "#!/bin/sh\necho \"$*\" >> " + starts + "\n"
                + "case \"$*\" in *-jar*) echo launched; exit 0;; esac\n"
                + "exec " + Path.of(System.getProperty("java.home"), "bin", "java") + " \"$@\"\n");
        script(jdk.resolve("javac"), "#!/bin/sh\nexit 0\n");
        Files.createDirectories(dir.resolve("jdk/lib"));
        Files.writeString(dir.resolve("jdk/lib/modules"), "");
        Files.writeString(root.resolve("cli/target/orchide.jar"), "a stand-in");

        assertThat(run(root, dir.resolve("jdk"))).contains("launched");
        assertThat(Files.readString(root.resolve("cli/target/jdk"))).contains(fakeJava.toString());
        long first = Files.readAllLines(starts).size();
        assertThat(Files.readAllLines(starts)).anyMatch(l -> l.contains("-version"));

        assertThat(run(root, dir.resolve("jdk"))).contains("launched");
        List<String> second = Files.readAllLines(starts).subList((int) first, Files.readAllLines(starts).size());
        assertThat(second).hasSize(1).allMatch(l -> l.contains("-jar"));

        // a JDK replaced in place is asked again
        Files.setLastModifiedTime(fakeJava, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(fakeJava).toMillis() - 60_000));
        long before = Files.readAllLines(starts).size();
        run(root, dir.resolve("jdk"));
        assertThat(Files.readAllLines(starts).subList((int) before, Files.readAllLines(starts).size()))
                .anyMatch(l -> l.contains("-version"));
    }

    private static Path script(Path p, String text) throws Exception {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static String run(Path root, Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("orchide").toString(), "--version")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("ORCHIDE_NO_BUILD", "1");
        pb.environment().put("ORCHIDE_NO_AOT_TRAINING", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
