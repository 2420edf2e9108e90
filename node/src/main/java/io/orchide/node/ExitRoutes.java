package io.orchide.node;

import io.orchide.runtime.ExitListener;
import io.orchide.runtime.RawExit;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands each monitor exit the supervisor reports to the owner of the directory the monitor ran in (the workloads'
 * reconciler, the pipeline engine). The supervisor is built before its owners, which need it; they are routed to once
 * they are built, before anything is launched or re-adopted, so no exit arrives with no owner to take it.
 */
final class ExitRoutes implements ExitListener {
    private static final System.Logger LOG = System.getLogger(ExitRoutes.class.getName());

    private record Route(Path under, ExitListener owner) {
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** Exits of monitors that ran under {@code under} go to {@code owner}. */
    void route(Path under, ExitListener owner) {
        routes.add(new Route(under.toAbsolutePath().normalize(), owner));
    }

    @Override
    public void exited(Path runDir, RawExit exit) {
        Path dir = runDir.toAbsolutePath().normalize(); // a run directory recorded before a restart from elsewhere
        for (Route r : routes) {
            if (dir.startsWith(r.under())) {
                r.owner().exited(runDir, exit);
                return;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "an exit reported from {0}, which no part of the agent owns: {1}",
                runDir, exit);
    }
}
