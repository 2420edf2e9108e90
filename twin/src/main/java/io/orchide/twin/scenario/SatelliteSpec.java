package io.orchide.twin.scenario;

import io.orchide.orbit.Tle;

/** One simulated satellite: its orbit, the payload computer its node offers, and its camera. */
public record SatelliteSpec(String name, Tle tle, NodeSpec node, CameraSpec camera) {
}
