package io.orchide.twin.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A payload computer losing power: its agent and everything it started die at once, without a chance to save
 * anything. The monitors of workloads and pipeline steps run under shims that outlive the agent by design, so they
 * are found by their command line (they all run from under the node's data directory) and killed with their
 * descendants (monitors, container processes).
 */
public final class PowerCut {
    private PowerCut() {
    }

    /** Kills {@code agent} and every process whose command line mentions {@code dataDir}; returns how many died. */
    public static int cut(ServiceProcess agent, Path dataDir) throws InterruptedException {
        String dir = dataDir.toAbsolutePath().toString();
        List<ProcessHandle> victims = new ArrayList<>();
        ProcessHandle.of(agent.pid()).ifPresent(victims::add);
        ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> commandLine(p).map(c -> c.contains(dir)).orElse(false))
                .forEach(victims::add);
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle p : victims) {
            all.add(p);
            p.descendants().forEach(all::add);
        }
        for (ProcessHandle p : all) p.destroyForcibly();
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // a zombie whose parent is gone too is reaped by init; nothing of it runs any more
            }
        }
        agent.kill();
        return (int) all.stream().map(ProcessHandle::pid).distinct().count();
    }

    private static Optional<String> commandLine(ProcessHandle p) {
        Optional<String> line = p.info().commandLine();
        if (line.isPresent()) return line;
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (java.io.IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
