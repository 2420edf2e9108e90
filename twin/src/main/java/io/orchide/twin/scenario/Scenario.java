package io.orchide.twin.scenario;

import io.orchide.orbit.GroundStation;
import io.orchide.twin.sensor.TargetRegion;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A twin scenario ({@code kind: Scenario}): when simulated time starts and how long it runs, how much faster than real
 * time, the seed of everything drawn, the manifests applied through ground at the start, the satellites (orbit, node,
 * camera), ground (its replicas and their database), the tenants created on ground with the manifests applied as each, the ground stations, the regions the cameras image, the link's shape and the faults to inject.
 */
public record Scenario(String name, Path source, Instant start, Duration duration, double speed, long seed,
                       List<Path> manifests, List<SatelliteSpec> satellites, List<GroundStation> stations,
                       List<TargetRegion> targets, LinkSpec link, List<Fault> faults, GroundSpec ground,
                       List<TenantSpec> tenants) {
    public Scenario {
        tenants = List.copyOf(tenants);
        manifests = List.copyOf(manifests);
        satellites = List.copyOf(satellites);
        stations = List.copyOf(stations);
        targets = List.copyOf(targets);
        faults = List.copyOf(faults);
    }

    public Instant end() {
        return start.plus(duration);
    }

    public Optional<SatelliteSpec> satellite(String name) {
        return satellites.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The same scenario at another speed or with another seed (command-line overrides). */
    public Scenario with(Double newSpeed, Long newSeed) {
        return new Scenario(name, source, start, duration, newSpeed != null ? newSpeed : speed,
                newSeed != null ? newSeed : seed, manifests, satellites, stations, targets, link, faults, ground, tenants);
    }
}
