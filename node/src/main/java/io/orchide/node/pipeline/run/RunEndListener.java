package io.orchide.node.pipeline.run;

import java.util.List;

/**
 * Asked, on the engine thread, which runs the end of {@code run} starts (onEvent triggers); they are stored in the
 * same transaction as the end, so a crash never loses or doubles them. Must not block.
 */
@FunctionalInterface
public interface RunEndListener {
    List<NewRun> followUps(PipelineRun run);
}
