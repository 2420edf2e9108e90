package io.orchide.node.attempt;

import io.orchide.model.App;
import io.orchide.runtime.Driver;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.nio.file.Path;

/** What an owner gives the engine to launch one of its attempts, and to take one back after an agent restart. */
public interface AttemptLauncher {
    /**
     * Prepares a fresh run directory (image, driver files, staged inputs); nothing runs yet.
     *
     * @throws LaunchException naming the manifest field and value the host cannot satisfy
     */
    Prepared prepare(Path runDir) throws LaunchException, IOException;

    /** The App of the attempt as resolved for its driver, for an attempt an earlier agent started. */
    Resolved resolve(Path runDir) throws LaunchException;

    /** How a failed launch reads in the attempt's end. */
    default String failure(Exception e) {
        return "launch failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /**
     * The attempt in {@code runDir} ended (however it did, re-adopted ones included), on the owner's loop: what it held
     * for its run (its accelerators) is given back.
     */
    default void ended(Path runDir) {
    }

    /** False where another attempt would fail the same way, so the attempt ends {@link AttemptState#REFUSED}. */
    default boolean retriable(Exception e) {
        return true;
    }

    /** A prepared attempt, ready to start its monitor under the supervisor. */
    @FunctionalInterface
    interface Prepared {
        LaunchedRun start() throws LaunchException;
    }

    /** An App after image resolution, with the driver of its monitor. */
    record Resolved(App app, Driver driver) {
    }
}
