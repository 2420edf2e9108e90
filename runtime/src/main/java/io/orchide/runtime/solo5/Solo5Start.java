package io.orchide.runtime.solo5;

import io.orchide.runtime.LaunchException;
import io.orchide.runtime.StartCheck;
import io.orchide.runtime.supervise.ConsoleRing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A Solo5 unikernel counts as started once its bindings logged their first line ({@code Solo5: Bindings version
 * ...}), which they do as the guest begins. A tender that ends before that line (a device not attached, an image
 * it cannot load: it says why in a {@code solo5-spt: ...} line and exits 1, the status of a guest's
 * {@code SOLO5_EXIT_FAILURE}) never started a guest. A guest run with {@code --solo5:quiet} logs nothing, so
 * there the exec is all that is known.
 */
final class Solo5Start implements StartCheck {
    static final Pattern BANNER = Pattern.compile("(?m)^Solo5: ");
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String tender;

    Solo5Start(String tender) {
        this.tender = tender;
    }

    /** The start check for a guest given {@code args}. */
    static StartCheck forArgs(String tender, List<String> args) {
        return args.contains("--solo5:quiet") ? StartCheck.EXEC : new Solo5Start(tender);
    }

    @Override
    public void awaitStarted(Path runDir, Path console, BooleanSupplier monitorEnded) throws LaunchException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            boolean ended = monitorEnded.getAsBoolean(); // before the console: an end's output is then all in it
            if (BANNER.matcher(text(console)).find()) return;
            if (ended) throw new LaunchException(null, null, tender + " exited before the unikernel started");
            if (System.nanoTime() > deadline)
                throw new LaunchException(null, null, "the unikernel did not start under " + tender + " within "
                        + START_TIMEOUT.toSeconds() + " s");
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while waiting for " + tender + " to start");
            }
        }
    }

    private static String text(Path console) {
        try {
            return String.join("\n", ConsoleRing.tail(console, Integer.MAX_VALUE));
        } catch (IOException e) {
            return "";
        }
    }
}
