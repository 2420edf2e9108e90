package io.orchide.twin.plan;

import io.orchide.orbit.Contact;
import io.orchide.orbit.ContactPlanner;
import io.orchide.orbit.GroundStation;
import io.orchide.twin.scenario.Fault;
import io.orchide.twin.scenario.SatelliteSpec;
import io.orchide.twin.scenario.Scenario;
import io.orchide.twin.sensor.Capture;
import io.orchide.twin.sensor.CapturePlan;
import io.orchide.twin.sensor.OrbitPositionSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a scenario will do, worked out before it starts: each satellite's contacts with the ground stations
 * (SGP4, elevation masks), the instants its camera captures over a target, the faults, and a status line every
 * {@code statusEvery} of simulated time, as one list in time order. The same scenario always gives the same timeline.
 */
public record Timeline(List<TwinEvent> events, Map<String, List<Contact>> contacts, Map<String, List<Capture>> captures) {
    public Timeline {
        events = List.copyOf(events);
        contacts = Map.copyOf(contacts);
        captures = Map.copyOf(captures);
    }

    public static Timeline of(Scenario s, Duration statusEvery) {
        List<TwinEvent> events = new ArrayList<>();
        Map<String, List<Contact>> contacts = new LinkedHashMap<>();
        Map<String, List<Capture>> captures = new LinkedHashMap<>();
        ContactPlanner planner = new ContactPlanner();
        Map<String, GroundStation> stations = new LinkedHashMap<>();
        s.stations().forEach(st -> stations.put(st.name(), st));
        for (SatelliteSpec sat : s.satellites()) {
            List<Contact> cs = planner.contacts(sat.tle(), s.stations(), s.start(), s.end());
            contacts.put(sat.name(), cs);
            for (Contact c : cs) {
                GroundStation st = stations.get(c.station());
                events.add(new TwinEvent.ContactStart(c.start(), c, st));
                events.add(new TwinEvent.ContactEnd(c.end(), c, st));
            }
            List<Capture> shots = s.targets().isEmpty() ? List.of() : CapturePlan.plan(new OrbitPositionSource(sat.tle()),
                    s.targets(), s.start(), s.end(), sat.camera().interval());
            captures.put(sat.name(), shots);
            for (Capture c : shots) events.add(new TwinEvent.CaptureDue(c.time(), sat.name(), c));
        }
        for (Fault f : s.faults()) {
            Instant at = s.start().plus(f.at());
            events.add(new TwinEvent.FaultStart(at, f));
            if (f.duration() != null) {
                Instant end = at.plus(f.duration());
                if (end.isBefore(s.end())) events.add(new TwinEvent.FaultEnd(end, f));
            }
        }
        if (statusEvery != null && statusEvery.isPositive()) {
            for (Instant t = s.start().plus(statusEvery); t.isBefore(s.end()); t = t.plus(statusEvery)) {
                events.add(new TwinEvent.StatusDue(t));
            }
        }
        events.sort(Comparator.comparing(TwinEvent::at).thenComparingInt(TwinEvent::rank));
        return new Timeline(events, contacts, captures);
    }

    public int captureCount() {
        return captures.values().stream().mapToInt(List::size).sum();
    }
}
