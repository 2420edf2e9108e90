package io.orchide.runtime.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;

/** Reads process facts from Linux /proc. */
public final class ProcStat {
    /** USER_HZ, the unit of /proc/pid/stat times; 100 on every Linux architecture we target. */
    static final long TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /** Field 22 of /proc/pid/stat (start time in ticks after boot), empty when no such process. */
    public static OptionalLong startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(f[22 - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The process name (/proc/pid/comm), or empty string when gone. */
    public static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Wall-clock instant of a start time in ticks after boot. */
    public static Instant toInstant(long ticks) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("btime ")) {
                    long btime = Long.parseLong(line.substring(6).trim());
                    return Instant.ofEpochSecond(btime).plusMillis(ticks * 1000 / TICKS_PER_SECOND);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Instant.EPOCH;
    }
}
