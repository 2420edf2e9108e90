package io.orchide.twin.run;

import java.time.Duration;
import java.util.List;

/**
 * How one satellite did over a scenario: contacts, captures, runs, products and link traffic (bytes on its radio,
 * bundles ground sent up to it and took down from it).
 */
public record SatelliteSummary(String name, int contacts, Duration contactTime, int captured, int succeeded,
                               int failed, int pending, int products, int dropped, int productsAtGround,
                               int productsOnBoard, long sceneBytes, long productBytesAtGround, long bytesUp,
                               long bytesDown, long bundlesUp, long bundlesDown, int lost, List<SceneOutcome> scenes) {
    public SatelliteSummary {
        scenes = List.copyOf(scenes);
    }
}
