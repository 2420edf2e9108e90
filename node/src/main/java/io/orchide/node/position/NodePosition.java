package io.orchide.node.position;

import io.orchide.model.message.StatusReport;
import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.Position;
import io.orchide.node.device.PositionSettings;
import io.orchide.node.device.PositionSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The position source a node uses, chosen from its settings: the GNSS receiver they name (its NMEA sentences read from
 * its device path, its counts and fix reported as the device's properties), then the satellite's TLE while the
 * receiver has no recent fix; either alone; or none, when every request for a position is refused. {@link #source()}
 * says which, for the node's API and log, and {@link #report} what it gives at an instant, for the node's API and its
 * status reports to ground. Closing stops reading the receiver.
 */
public final class NodePosition implements PositionSource, AutoCloseable {
    private final PositionSource source; // null: none
    private final String description;
    private final NmeaReader reader;     // null: no receiver
    private final String gnss;           // null: no receiver
    private List<Runnable> listeners = List.of(); // set once, before the node is handed out

    private NodePosition(PositionSource source, String description, NmeaReader reader, String gnss) {
        this.source = source;
        this.description = description;
        this.reader = reader;
        this.gnss = gnss;
    }

    /** The source {@code settings} (null: none) describe, over the devices of {@code twin}. */
    public static NodePosition of(PositionSettings settings, DeviceTwin twin, Clock clock) {
        if (settings == null) return new NodePosition(null, "none", null, null);
        PositionSource tle = settings.tle() == null ? null : new TlePositionSource(settings.tle());
        if (settings.gnss() == null) return new NodePosition(tle, tle == null ? "none" : tle.toString(), null, null);
        String device = settings.gnss();
        Path path = Path.of(twin.get(device).orElseThrow().device().path());
        List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        GnssPositionSource gnss = new GnssPositionSource(device, clock, settings.maxFixAge(), p -> {
            twin.report(device, p);
            listeners.forEach(Runnable::run);
        });
        twin.report(device, gnss.properties());
        NmeaReader reader = NmeaReader.start(path, gnss::accept);
        PositionSource chosen = tle == null ? gnss : new FallbackPositionSource(gnss, tle);
        NodePosition position = new NodePosition(chosen, chosen + " (NMEA from " + path + ")", reader, device);
        position.listeners = listeners;
        return position;
    }

    /** The GNSS receiver the position comes from, first or alone: its device name, or empty. */
    public java.util.Optional<String> gnss() {
        return java.util.Optional.ofNullable(gnss);
    }

    /**
     * Has {@code r} run when the receiver's state changes (a first fix, a first sentence without one, a first
     * rejection) or, while it keeps changing, at most once per {@link GnssPositionSource#REPORT_EVERY}; never for a
     * node without a receiver, whose TLE answers the same way at every instant.
     */
    public void onChange(Runnable r) {
        if (gnss != null) listeners.add(java.util.Objects.requireNonNull(r, "r"));
    }

    /** Whether the node has a position source at all. */
    public boolean known() {
        return source != null;
    }

    /** The chosen source in words: {@code none}, {@code tle NAME (epoch ...)}, {@code gnss gnss-1, then tle ...}. */
    public String source() {
        return description;
    }

    @Override
    public Position at(Instant time) {
        if (source == null) throw new PositionUnavailableException("none", NO_SOURCE);
        return source.at(time);
    }

    /** Why a node without a position source has no position. */
    public static final String NO_SOURCE = "this node has no position source (a position entry in its devices file, "
            + "or orchide node --tle)";

    /**
     * What the source gives at {@code time}: the fix and which source gave it (the receiver or, without a recent fix
     * from it, the TLE), or why there is none, each source's reason in turn. Never throws: a source that fails in any
     * way is a reason, so that the node's reports and API always say something.
     */
    public StatusReport.Position report(Instant time) {
        if (source == null) return new StatusReport.Position("none", null, NO_SOURCE);
        List<PositionSource> order = source instanceof FallbackPositionSource f ? List.of(f.first(), f.then())
                : List.of(source);
        List<String> reasons = new ArrayList<>();
        for (PositionSource s : order) {
            try {
                Position p = s.at(time);
                return new StatusReport.Position(description, new StatusReport.Position.Fix(s.toString(), p.time(),
                        p.latitudeDeg(), p.longitudeDeg(), p.altitudeM()), null);
            } catch (PositionUnavailableException e) {
                reasons.add(s + ": " + e.reason());
            } catch (RuntimeException e) {
                reasons.add(s + ": " + e.getMessage());
            }
        }
        return new StatusReport.Position(description, null, String.join("; ", reasons));
    }

    @Override
    public void close() throws IOException {
        if (reader != null) reader.close();
    }
}
