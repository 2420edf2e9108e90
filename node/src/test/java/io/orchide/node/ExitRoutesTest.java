package io.orchide.node;

import io.orchide.node.layout.NodeLayout;
import io.orchide.runtime.RawExit;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExitRoutesTest {
    final NodeLayout layout = NodeLayout.of(Path.of("/var/lib/orchide"));
    final List<String> heard = new ArrayList<>();
    final ExitRoutes routes = new ExitRoutes();

    ExitRoutesTest() {
        routes.route(layout.pipelineRuns(), (dir, exit) -> heard.add("engine " + dir.getFileName()));
        routes.route(layout.workloads(), (dir, exit) -> heard.add("workloads " + dir.getFileName()));
    }

    @Test
    void anExitGoesToTheOwnerOfTheDirectoryItsMonitorRanIn() {
        RawExit exit = new RawExit(0, 0, Instant.EPOCH);
        routes.exited(layout.workloadAttempt("hello", 3), exit);
        routes.exited(layout.stepAttempt("run-1", "crunch", null, 1), exit);
        routes.exited(Path.of("/elsewhere/run"), exit); // no owner: logged, nobody told

        assertThat(heard).containsExactly("workloads " + layout.workloadAttempt("hello", 3).getFileName(),
                "engine " + layout.stepAttempt("run-1", "crunch", null, 1).getFileName());
    }
}
