package io.orchide.twin.process;

import java.util.List;

/**
 * How the twin starts the processes of the distribution: the command line that runs {@code orchide <role> <args>}
 * (role {@code node} or {@code ground}), the same binary and JVM settings as in flight.
 */
@FunctionalInterface
public interface Launcher {
    List<String> command(String role, List<String> args);
}
