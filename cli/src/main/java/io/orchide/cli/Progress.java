package io.orchide.cli;

import io.orchide.client.http.Transfers;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for long transfers on stderr: redrawn in place on a terminal ({@code [#####.....] 52% 5.2/10.0 MiB
 * 1.3 MiB/s}), one closing line otherwise so that logs stay readable.
 */
final class Progress implements Transfers.Transfer {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long done;
    private long lastDraw;

    Progress(PrintStream err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.terminal = System.console() != null;
    }

    @Override
    public void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (terminal && now - lastDraw > 100_000_000L) {
            lastDraw = now;
            err.print("\r" + line());
            err.flush();
        }
    }

    @Override
    public void finish() {
        err.println((terminal ? "\r" : "") + line());
    }

    String line() {
        double frac = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(frac * WIDTH);
        double secs = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %s/%s %s/s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), Math.round(frac * 100), mib(done), mib(total), mib((long) (done / secs)));
    }

    private static String mib(long b) {
        return String.format(Locale.ROOT, "%.1fMiB", b / 1048576.0);
    }
}
