package io.orchide.node.telemetry;

import io.orchide.node.broker.Broker;
import io.orchide.node.broker.Leases;
import io.orchide.node.device.DeviceTwin;
import io.orchide.web.telemetry.MetricFamily;

import java.util.List;

/**
 * The device broker's metrics: its decisions by verb and outcome (a fixed set: {@code allowed} or a refusal's code),
 * and per device of the node's inventory whether its exclusive lease is held and how many requests wait for it.
 */
final class BrokerMetrics {
    private BrokerMetrics() {
    }

    static List<MetricFamily> of(Broker broker) {
        MetricFamily.Builder decisions = MetricFamily.counter("orchide_broker_decisions_total",
                "Requests the device broker decided since the agent started, by verb and outcome (allowed, or the refusal's code).",
                "verb", "outcome");
        broker.tallies().forEach((t, n) -> decisions.add(n, t.verb(), t.outcome()));
        MetricFamily.Builder leased = MetricFamily.gauge("orchide_device_leased",
                "1 for a device whose exclusive lease is held, 0 otherwise.", "device");
        MetricFamily.Builder waiting = MetricFamily.gauge("orchide_device_lease_waiters",
                "Requests waiting for a device's exclusive lease.", "device");
        Leases leases = broker.leases();
        for (DeviceTwin.View d : broker.twin().list()) {
            leased.add(leases.holder(d.name()).isPresent() ? 1 : 0, d.name());
            waiting.add(leases.waiters(d.name()).size(), d.name());
        }
        return List.of(decisions.build(), leased.build(), waiting.build());
    }
}
