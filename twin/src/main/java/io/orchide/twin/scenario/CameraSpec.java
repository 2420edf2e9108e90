package io.orchide.twin.scenario;

import java.time.Duration;

/**
 * A satellite's camera: the node dataset its scenes land in, their size in pixels, and how often it captures while
 * the satellite is over a target region (simulated time).
 */
public record CameraSpec(String dataset, int width, int height, Duration interval) {
    public static final CameraSpec DEFAULT = new CameraSpec("camera", 256, 256, Duration.ofMinutes(2));
}
