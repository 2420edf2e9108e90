package io.orchide.runtime.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes under one process, read from a /proc file system. Where the kernel lists each task's children
 * ({@code /proc/PID/task/TID/children}, {@code CONFIG_PROC_CHILDREN}) only the entries of the processes in that
 * subtree are read, so a look costs the same whatever else runs on the machine. Without those lists the parent of
 * every process on the machine is read instead, as {@link ProcessHandle#descendants()} does.
 */
final class ProcessTree {
    /** The host's processes. */
    static final ProcessTree SYSTEM = new ProcessTree(Path.of("/proc"));

    private final Path proc;

    /** {@code proc}: the root of a /proc file system (a fake one in tests). */
    ProcessTree(Path proc) {
        this.proc = proc;
    }

    /**
     * Whether a process under {@code root} runs an executable other than {@code own} (its {@code exe} link names
     * another file). Only processes still running {@code own}, or whose executable cannot be read, are looked
     * under: the search stops at the first process that runs something else, without reading that one's children.
     */
    boolean runsOtherThan(long root, Path own) {
        Optional<Map<Long, List<Long>>> everyParent = childListsKept(root) ? Optional.empty() : Optional.of(parents());
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            for (long child : everyParent.map(m -> m.getOrDefault(pid, List.of())).orElseGet(() -> children(pid))) {
                Optional<Path> exe = executable(child);
                if (exe.isPresent() && !exe.get().equals(own)) return true;
                todo.push(child);
            }
        }
        return false;
    }

    /** Every process under {@code root}, parents before their children (none when it is gone). */
    List<Long> descendants(long root) {
        Optional<Map<Long, List<Long>>> everyParent = childListsKept(root) ? Optional.empty() : Optional.of(parents());
        List<Long> found = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.removeFirst();
            List<Long> children = everyParent.map(m -> m.getOrDefault(pid, List.of())).orElseGet(() -> children(pid));
            found.addAll(children);
            todo.addAll(children);
        }
        return found;
    }

    /**
     * Whether this kernel lists children: asked of {@code root}'s own main task, so a missing list is told apart
     * from a process that is gone (which has neither, and then no descendants either way).
     */
    private boolean childListsKept(long root) {
        Path dir = proc.resolve(Long.toString(root));
        return Files.exists(dir.resolve("task").resolve(Long.toString(root)).resolve("children"))
                || !Files.isDirectory(dir);
    }

    /** The children of every task of {@code pid}: a child belongs to the thread that forked it. */
    private List<Long> children(long pid) {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                for (String n : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                    if (!n.isEmpty()) children.add(Long.parseLong(n));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process or one of its tasks ended while being read: what was read stands, the next look sees more
        }
        return children;
    }

    /** Every process's children by parent, from each process's {@code stat} (field 4 is the parent's pid). */
    private Map<Long, List<Long>> parents() {
        Map<Long, List<Long>> byParent = new HashMap<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path p : all) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byParent.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>())
                            .add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException e) {
                    // ended while being read
                }
            }
        } catch (IOException e) {
            // no /proc: no process is known
        }
        return byParent;
    }

    private Optional<Path> executable(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(proc.resolve(Long.toString(pid)).resolve("exe")));
        } catch (IOException e) {
            return Optional.empty(); // gone, not yet readable, or not ours to read
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) return false;
        }
        return true;
    }
}
