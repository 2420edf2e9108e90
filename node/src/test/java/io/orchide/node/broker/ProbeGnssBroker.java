package io.orchide.node.broker;

import io.orchide.model.DeviceGrant;
import io.orchide.model.Manifests;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The broker the guest-facing tests ask: one GNSS receiver {@code gnss-1} (property {@code rate: 1Hz}) that the
 * DeviceGrant {@code probe-gnss} lets the app {@code probe} of {@code ocean-team} read, and nothing else; each
 * decision is recorded in the given audit as {@code "<verb> <outcome>"}.
 */
public final class ProbeGnssBroker {
    public static final Caller PROBE = new Caller("ocean-team", "app", "probe", 0);

    private ProbeGnssBroker() {
    }

    public static Broker create(Clock clock, List<String> audit) throws Exception {
        DeviceTwin twin = new DeviceTwin(DevicesFile.parse("""
                discover: false
                devices: [{name: gnss-1, class: gnss, properties: {rate: "1Hz"}}]
                """), List.of());
        DeviceGrant grant = Manifests.parseDeviceGrant("""
                apiVersion: orchide.io/v1
                kind: DeviceGrant
                metadata: {name: probe-gnss, tenant: ocean-team}
                spec: {device: gnss-1, apps: [probe], verbs: [read]}
                """);
        return new Broker(twin, d -> d.equals("gnss-1") ? List.of(grant) : List.of(), new Leases(clock, Duration.ofMinutes(5)),
                clock, null, Duration.ofMinutes(95), c -> audit.add(c.verb() + " " + c.outcome()));
    }
}
