package io.orchide.node.attempt;

import io.orchide.model.App;
import io.orchide.runtime.Driver;
import io.orchide.runtime.RunningWorkload;

/** An attempt whose monitor is up: the App as resolved for launching it, its driver and its process. */
public record LaunchedRun(App resolved, Driver driver, RunningWorkload process) {
}
