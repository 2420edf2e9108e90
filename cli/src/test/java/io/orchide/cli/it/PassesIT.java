package io.orchide.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passes with a real ground process, as the operations guide has them: an operator applies a GroundStation and sets
 * a satellite's TLE, a tenant's developer lists the satellite's passes (AOS and LOS as the independent reference has
 * them, to the second here), and a TLE with a wrong checksum is refused naming the line and the field. Ground runs on
 * a clock started at the TLE's epoch, as a twin's ground does.
 */
class PassesIT {
    static final String LINE1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927";
    static final String LINE2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537";

    @TempDir
    Path tmp;

    @Test
    void anOperatorSetsStationsAndTlesAndATenantReadsThePasses() throws Exception {
        Path station = tmp.resolve("toulouse.yaml");
        Files.writeString(station, """
                apiVersion: orchide.io/v1
                kind: GroundStation
                metadata: {name: toulouse}
                spec: {latitude: 43.6045, longitude: 1.444, altitude: 150, minElevation: 10, uplinkRate: 256k, downlinkRate: 10M}
                """);
        Path tle = tmp.resolve("sat-1.tle");
        Files.writeString(tle, "ISS (ZARYA)\n" + LINE1 + "\n" + LINE2 + "\n");
        Path bad = tmp.resolve("bad.tle");
        Files.writeString(bad, LINE1.substring(0, 68) + "8\n" + LINE2 + "\n");
        try (Ground ground = new Ground(tmp.resolve("g"), Fixtures.freePort(), Fixtures.freePort(), "--clock-speed", "1",
                "--clock-start", "2008-09-20T12:00:00Z").start()) {
            Cli admin = ground.cli();
            admin.ok("create", "tenant", "ocean-team");
            Cli operator = new Cli(ground.server(), admin.ok("create", "token", "--role", "operator").strip());
            Cli ocean = new Cli(ground.server(), admin.ok("create", "token", "--tenant", "ocean-team", "--role", "developer").strip());

            assertThat(ocean.run("apply", "-f", station.toString()).err()).contains("[forbidden]");
            assertThat(operator.ok("apply", "-f", station.toString())).contains("station/toulouse created");
            assertThat(operator.ok("get", "stations")).containsPattern("toulouse +43.6045 +1.444 +150.0m +10.0° +256k +10M");
            assertThat(operator.ok("set", "tle", "sat-1", "-f", tle.toString()))
                    .contains("satellite/sat-1 TLE set: ISS (ZARYA), catalogue number 25544");

            Cli.Result refused = operator.run("set", "tle", "sat-1", "-f", bad.toString());
            assertThat(refused.status()).isNotZero();
            assertThat(refused.err()).contains("tle.line1.checksum: does not match the computed checksum 7");

            String passes = ocean.ok("get", "passes", "--satellite", "sat-1", "--next", "12h");
            assertThat(passes.lines().findFirst().orElseThrow())
                    .matches("STATION +AOS +LOS +IN +DURATION +MAX ELEVATION +UPLINK +DOWNLINK");
            // the reference (python3-sgp4, see PassesTest): 18:18:28.6 to 18:22:33.5, 19:52:42.5 to 19:58:29.9, ...
            assertThat(passes).containsPattern("toulouse +2008-09-20 18:18:2\\d +2008-09-20 18:22:3\\d +6h +4m0\\ds +1\\d\\.\\d°")
                    .containsPattern("toulouse +2008-09-20 19:52:4\\d +2008-09-20 19:58:[23]\\d +7h +5m4\\ds");
            assertThat(passes.lines().count()).isEqualTo(5);
        }
    }
}
