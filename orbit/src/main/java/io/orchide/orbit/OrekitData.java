package io.orchide.orbit;

import org.orekit.data.ClasspathCrawler;
import org.orekit.data.DataContext;
import org.orekit.data.LazyLoadedDataContext;
import org.orekit.frames.Frame;
import org.orekit.time.TimeScale;
import org.orekit.time.TimeScales;
import org.orekit.utils.IERSConventions;

/**
 * The Orekit data the twin uses, loaded from the classpath only: no network, no {@code orekit-data}
 * directory, no {@code orekit.data.path}.
 *
 * <p><b>Time.</b> The only data file is {@code io/orchide/orbit/data/tai-utc.dat}, the USNO
 * leap-second table (TAI-UTC from 1972-01-01 to the last leap second, 2017-01-01, 37 s), read by
 * Orekit's {@code TAIUTCDatFilesLoader} through a {@link ClasspathCrawler} that is the single
 * provider of this context's {@code DataProvidersManager}. When a new leap second is announced,
 * append a line to that file.
 *
 * <p><b>Earth orientation (EOP).</b> No EOP file is shipped. The EOP history loaders are cleared
 * ({@code LazyLoadedFrames.clearEOPHistoryLoaders()}), so nothing is searched for and the EOP history
 * is empty: Orekit then treats UT1-UTC, polar motion and nutation corrections as zero. ITRF is
 * taken as {@code getITRF(IERSConventions.IERS_2010, true)} (simple EOP, tidal effects ignored).
 * Ignoring UT1-UTC (at most 0.9 s) moves a ground point by at most ~0.4 km along the equator and
 * polar motion by ~10 m: negligible against SGP4's km-level error for contact windows and ground
 * tracks. Inertial frames (TEME for SGP4) do not need EOP at all.
 *
 * <p>{@link #context()} builds the context once and also installs it as Orekit's default
 * ({@link DataContext#setDefault}), so that Orekit APIs that implicitly use the default context see
 * the same data. Thread-safe.
 */
public final class OrekitData {

    /** Classpath location of the leap-second table. */
    public static final String LEAP_SECONDS_RESOURCE = "io/orchide/orbit/data/tai-utc.dat";

    private static final class Holder {
        static final LazyLoadedDataContext CONTEXT = build();
    }

    private OrekitData() {
    }

    /** The data context (built on first use, then installed as Orekit's default). */
    public static DataContext context() {
        return Holder.CONTEXT;
    }

    /** The time scales of {@link #context()}. */
    public static TimeScales timeScales() {
        return Holder.CONTEXT.getTimeScales();
    }

    /** UTC from the shipped leap-second table. */
    public static TimeScale utc() {
        return Holder.CONTEXT.getTimeScales().getUTC();
    }

    /** Earth-fixed frame: ITRF, IERS 2010 conventions, simple EOP, with an empty EOP history. */
    public static Frame itrf() {
        return Holder.CONTEXT.getFrames().getITRF(IERSConventions.IERS_2010, true);
    }

    /** TEME, the inertial frame of SGP4. */
    public static Frame teme() {
        return Holder.CONTEXT.getFrames().getTEME();
    }

    private static LazyLoadedDataContext build() {
        LazyLoadedDataContext ctx = new LazyLoadedDataContext();
        var manager = ctx.getDataProvidersManager();
        manager.clearProviders();
        manager.addProvider(new ClasspathCrawler(OrekitData.class.getClassLoader(), LEAP_SECONDS_RESOURCE));
        ctx.getFrames().clearEOPHistoryLoaders();
        DataContext.setDefault(ctx);
        return ctx;
    }
}
