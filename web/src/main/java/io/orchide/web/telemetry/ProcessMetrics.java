package io.orchide.web.telemetry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This process's CPU time, resident and virtual memory, open file descriptors and start time, read from
 * {@code /proc/self} at each scrape, under the names every Prometheus client uses ({@code process_...}), so that
 * dashboards made for them work. Where there is no {@code /proc} (not Linux) it shows nothing.
 */
public final class ProcessMetrics implements Collector {
    /** Clock ticks per second of {@code /proc/PID/stat}'s times: USER_HZ, 100 on every Linux architecture we run on. */
    private static final double TICKS = 100.0;
    private final Path proc;
    /** Asked once: {@code ProcessHandle.info()} reads several files of /proc each time. */
    private final Double startSeconds;

    public ProcessMetrics() {
        this(Path.of("/proc/self"));
    }

    ProcessMetrics(Path proc) {
        this.proc = proc;
        this.startSeconds = ProcessHandle.current().info().startInstant().map(t -> t.toEpochMilli() / 1000.0).orElse(null);
    }

    @Override
    public List<MetricFamily> collect() {
        List<MetricFamily> out = new ArrayList<>();
        String stat;
        try {
            stat = Files.readString(proc.resolve("stat"));
        } catch (IOException e) {
            return out;
        }
        // the fields after the command, which is in parentheses and may hold spaces: state is field 3
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        out.add(MetricFamily.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
                .add(cpu).build());
        out.add(MetricFamily.gauge("process_resident_memory_bytes", "Resident memory size in bytes.")
                .add(statusKiB("VmRSS:") * 1024.0).build());
        out.add(MetricFamily.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.")
                .add(Long.parseLong(f[20])).build());
        out.add(MetricFamily.gauge("process_open_fds", "Number of open file descriptors.").add(openFds()).build());
        if (startSeconds != null) {
            out.add(MetricFamily.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.")
                    .add(startSeconds).build());
        }
        return out;
    }

    private long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // reported as 0 below
        }
        return 0;
    }

    private long openFds() {
        long n = 0;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path ignored : d) n++;
        } catch (IOException e) {
            return 0;
        }
        return Math.max(0, n - 1); // the directory stream's own descriptor
    }
}
