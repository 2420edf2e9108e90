package io.orchide.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A /proc tree written into a directory: each process has its {@code stat} (with its parent), its {@code exe} link
 * and, when the kernel it stands for keeps them, one task with its {@code children} list.
 */
final class FakeProc {
    static final Path BWRAP = Path.of("/usr/bin/bwrap");

    private final Path root;
    private final boolean childLists;
    private final Map<Long, Long> parents = new LinkedHashMap<>();

    FakeProc(Path root, boolean childLists) {
        this.root = root;
        this.childLists = childLists;
    }

    Path root() {
        return root;
    }

    /** A process {@code pid} under {@code parent} (0: none) running {@code exe}. */
    FakeProc process(long pid, long parent, Path exe) throws IOException {
        entry(pid, parent, exe);
        parents.put(pid, parent);
        writeChildList(pid);
        return parents.containsKey(parent) ? writeChildList(parent) : this;
    }

    /**
     * {@code count} processes from {@code firstPid} on, each claiming {@code parent} in its stat and running
     * {@code exe}, that no children list names: only a look that reads every process's stat can see them.
     */
    FakeProc unlisted(long firstPid, int count, long parent, Path exe) throws IOException {
        for (long pid = firstPid; pid < firstPid + count; pid++) entry(pid, parent, exe);
        return this;
    }

    /** The process {@code pid} exec'd {@code exe}. */
    FakeProc exec(long pid, Path exe) throws IOException {
        return process(pid, parents.get(pid), exe);
    }

    /** {@code parent}'s children list as the kernel shows it, which may differ from the parents in each stat. */
    FakeProc childList(long parent, long... children) throws IOException {
        StringBuilder line = new StringBuilder();
        for (long c : children) line.append(c).append(' ');
        Files.writeString(Files.createDirectories(root.resolve(parent + "/task/" + parent)).resolve("children"), line);
        return this;
    }

    private void entry(long pid, long parent, Path exe) throws IOException {
        Path dir = root.resolve(Long.toString(pid));
        if (!Files.isDirectory(dir)) Files.createDirectories(dir);
        Files.writeString(dir.resolve("stat"), pid + " (" + exe.getFileName() + ") S " + parent + " " + pid
                + " " + pid + " 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0");
        Files.deleteIfExists(dir.resolve("exe"));
        Files.createSymbolicLink(dir.resolve("exe"), exe);
    }

    private FakeProc writeChildList(long pid) throws IOException {
        if (!childLists) return this;
        List<Long> children = new ArrayList<>();
        parents.forEach((c, p) -> {
            if (p == pid) children.add(c);
        });
        return childList(pid, children.stream().mapToLong(Long::longValue).toArray());
    }
}
