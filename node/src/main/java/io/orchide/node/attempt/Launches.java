package io.orchide.node.attempt;

import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where an owner's attempts prepare and start their monitors. {@link #INLINE} does it at once on the owner's loop;
 * an owner whose loop must not wait for a monitor's exec (the pipeline engine) hands the work to a launcher thread
 * and gives the outcome back on its loop later. Either way {@code done} runs on the owner's loop, once; an owner that
 * closes meanwhile drops it, and takes the attempt back from its record at the next start.
 */
@FunctionalInterface
public interface Launches {
    /** Prepares (when not done yet) and starts one attempt's monitor; runs wherever the owner says. */
    @FunctionalInterface
    interface Work {
        LaunchedRun start() throws LaunchException, IOException;
    }

    /** The outcome of a launch: the monitor that runs, or why there is none. */
    record Outcome(LaunchedRun launched, Exception failure) {
        /** Runs {@code work} here and now, catching what a launch may throw. */
        public static Outcome of(Work work) {
            try {
                return new Outcome(work.start(), null);
            } catch (LaunchException | IOException | RuntimeException e) {
                return new Outcome(null, e);
            }
        }
    }

    /** Starts {@code work} and calls {@code done} with its outcome on the owner's loop. */
    void launch(Work work, Consumer<Outcome> done);

    /** On the owner's loop, before {@link #launch} returns. */
    Launches INLINE = (work, done) -> done.accept(Outcome.of(work));
}
