package io.orchide.node.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Resident memory and CPU time of a monitor process and its descendants, read from /proc. */
record ProcessUsage(long rssKiB, double cpuSeconds, int processes) {
    private static final double TICKS = 100.0;

    static ProcessUsage of(long pid) {
        ProcessHandle root = ProcessHandle.of(pid).orElse(null);
        if (root == null) return new ProcessUsage(0, 0, 0);
        long rss = 0;
        long ticks = 0;
        int n = 0;
        for (ProcessHandle p : (Iterable<ProcessHandle>) Stream.concat(Stream.of(root), root.descendants())::iterator) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                rss += vmRssKiB(p.pid());
                n++;
            } catch (IOException | RuntimeException e) {
                // the process ended while we looked
            }
        }
        return new ProcessUsage(rss, ticks / TICKS, n);
    }

    private static long vmRssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return 0;
    }
}
