package io.orchide.node.position;

import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Position;
import io.orchide.node.device.PositionSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The position a GNSS receiver gives in its NMEA GGA sentences ({@code $GPGGA}, {@code $GNGGA}, ...), fed one line at
 * a time ({@link #accept}, by an {@link NmeaReader} on the receiver's device node or file). The newest fix answers
 * {@link #at} while it is at most {@code maxAge} from the instant asked; an older one, or none, is
 * {@link PositionUnavailableException}. Lines that are not GGA (RMC, GSV, ...) are ignored; GGA lines that do not
 * parse are counted and ignored, as are those without a fix: a receiver that talks nonsense never stops the node nor
 * moves its position. A GGA sentence carries a time of day only: its date is the node clock's date at reception, the
 * day before or after where that is nearer (a fix taken just before midnight and read just after it). The receiver's
 * counts and fix go to the device twin when the receiver's state changes (a first fix, a first sentence without a
 * fix, a first rejection) and otherwise at most once per {@link #REPORT_EVERY} of the node's clock: the twin's
 * reported properties travel to ground with the status reports, which a receiver talking every second must not
 * fill. Thread-safe.
 */
public final class GnssPositionSource implements PositionSource {
    private static final System.Logger LOG = System.getLogger(GnssPositionSource.class.getName());

    /** The longest the device twin goes without the receiver's newest counts and fix while they change. */
    public static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private final String device;
    private final Clock clock;
    private final Duration maxAge;
    private final Consumer<Map<String, String>> reporter;
    private Position fix;
    private long fixes, noFix, rejected;
    private String lastRejection;
    private String reportedState;
    private Instant reportedAt;

    /**
     * For the receiver named {@code device}; {@code reporter} is told the receiver's counts and newest fix as
     * properties (for the device twin's reported side) after each GGA line.
     */
    public GnssPositionSource(String device, Clock clock, Duration maxAge, Consumer<Map<String, String>> reporter) {
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new DeviceInputException("maxFixAge", maxAge, "must be positive");
        }
        this.maxAge = maxAge;
        this.reporter = reporter == null ? p -> { } : reporter;
    }

    /** Takes one line the receiver sent. */
    public void accept(String line) {
        if (line == null || !GgaSentence.isGga(line.strip())) return;
        Map<String, String> report;
        synchronized (this) {
            try {
                GgaSentence s = GgaSentence.parse(line);
                if (s.hasFix()) {
                    fix = new Position(dated(s, clock.instant()), s.latitudeDeg(), s.longitudeDeg(), s.altitudeM());
                    fixes++;
                } else {
                    noFix++;
                }
            } catch (DeviceInputException e) {
                if (rejected++ == 0 || rejected % 1000 == 0) {
                    LOG.log(System.Logger.Level.WARNING, "GNSS " + device + ": ignored " + rejected
                            + " sentence(s) so far; the last: " + e.getMessage());
                }
                lastRejection = e.getMessage();
            }
            report = dueReport();
        }
        if (report != null) reporter.accept(report);
    }

    private Map<String, String> dueReport() {
        String state = (fix != null) + "," + (noFix > 0) + "," + (rejected > 0);
        Instant now = clock.instant();
        if (state.equals(reportedState) && reportedAt != null && now.isBefore(reportedAt.plus(REPORT_EVERY))) return null;
        reportedState = state;
        reportedAt = now;
        return properties();
    }

    /** The instant of {@code s}'s time of day on the date of {@code received}, or the day before or after, the nearest. */
    static Instant dated(GgaSentence s, Instant received) {
        LocalDate day = LocalDate.ofInstant(received, ZoneOffset.UTC);
        Instant best = null;
        for (int d = -1; d <= 1; d++) {
            Instant t = day.plusDays(d).atTime(s.utc()).toInstant(ZoneOffset.UTC);
            if (best == null || Duration.between(t, received).abs().compareTo(Duration.between(best, received).abs()) < 0) {
                best = t;
            }
        }
        return best;
    }

    @Override
    public synchronized Position at(Instant time) {
        if (fix == null) {
            throw new PositionUnavailableException("gnss " + device, "the receiver has given no fix yet ("
                    + noFix + " sentence(s) without a fix, " + rejected + " rejected)");
        }
        Duration age = Duration.between(fix.time(), time).abs();
        if (age.compareTo(maxAge) > 0) {
            throw new PositionUnavailableException("gnss " + device, "the newest fix, of " + fix.time() + ", is "
                    + age.toSeconds() + " s from " + time + ", more than " + maxAge.toSeconds() + " s");
        }
        return fix;
    }

    /** The counts and the newest fix as the device reports them. */
    public synchronized Map<String, String> properties() {
        Map<String, String> p = new TreeMap<>();
        p.put("nmeaFixes", Long.toString(fixes));
        p.put("nmeaNoFix", Long.toString(noFix));
        p.put("nmeaRejected", Long.toString(rejected));
        if (lastRejection != null) p.put("nmeaLastRejection", lastRejection);
        if (fix != null) {
            p.put("fixTime", fix.time().toString());
            p.put("latitudeDeg", String.format(java.util.Locale.ROOT, "%.6f", fix.latitudeDeg()));
            p.put("longitudeDeg", String.format(java.util.Locale.ROOT, "%.6f", fix.longitudeDeg()));
            p.put("altitudeM", String.format(java.util.Locale.ROOT, "%.1f", fix.altitudeM()));
        }
        return p;
    }

    @Override
    public String toString() {
        return "gnss " + device;
    }
}
