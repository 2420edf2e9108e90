package io.orchide.twin.run;

import java.time.Duration;
import java.util.List;

/** How one satellite did over a scenario: contacts, captures, runs, products and link traffic. */
public record SatelliteSummary(String name, int contacts, Duration contactTime, int captured, int succeeded,
                               int failed, int pending, int products, int dropped, int productsAtGround,
                               int productsOnBoard, long sceneBytes, long productBytesAtGround, long bytesUp,
                               long bytesDown, int lost, List<SceneOutcome> scenes) {
    public SatelliteSummary {
        scenes = List.copyOf(scenes);
    }
}
