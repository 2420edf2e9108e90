package io.orchide.orbit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.orekit.data.DataContext;
import org.orekit.time.AbsoluteDate;

class OrekitDataTest {

    @Test
    void leapSecondsComeFromTheShippedTable() {
        var utc = OrekitData.utc();
        assertThat(utc.offsetFromTAI(new AbsoluteDate(Instant.parse("2020-01-01T00:00:00Z"), utc)).toDouble()).isEqualTo(-37.0);
        assertThat(utc.offsetFromTAI(new AbsoluteDate(Instant.parse("2010-01-01T00:00:00Z"), utc)).toDouble()).isEqualTo(-34.0);
        assertThat(utc.offsetFromTAI(new AbsoluteDate(Instant.parse("1973-06-01T00:00:00Z"), utc)).toDouble()).isEqualTo(-12.0);
        assertThat(OrekitData.context()).isSameAs(DataContext.getDefault());
    }

    @Test
    void itrfWorksWithoutEopFiles() {
        var date = new AbsoluteDate(Instant.parse("2024-03-01T00:00:00Z"), OrekitData.utc());
        var t = OrekitData.teme().getStaticTransformTo(OrekitData.itrf(), date);
        assertThat(t.getRotation().getAngle()).isBetween(0.0, Math.PI);
        assertThat(((org.orekit.data.LazyLoadedDataContext) OrekitData.context()).getDataProvidersManager().getLoadedDataNames())
                .allMatch(n -> n.endsWith("tai-utc.dat"));
    }

    @Test
    void instantsRoundTrip() {
        Instant t = Instant.parse("2025-06-30T23:59:59.250Z");
        assertThat(Sgp4.instant(Sgp4.date(t))).isEqualTo(t);
    }
}
