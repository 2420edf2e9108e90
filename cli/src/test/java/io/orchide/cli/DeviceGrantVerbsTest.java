package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A satellite's DeviceGrants on ground: listed from its desired state, one shown, one withdrawn. */
class DeviceGrantVerbsTest {
    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    @Test
    void getDevicegrantsListsTheSatellitesGrantsOnlyAndOneByName() {
        ground.on("GET /api/v1/satellites/sat-1/desired", 200, """
                {"satellite":"sat-1","items":[
                 {"kind":"App","name":"probe","tenant":"ocean","generation":1,"manifest":{}},
                 {"kind":"DeviceGrant","name":"ocean-camera","tenant":"ocean","generation":2,"queued":true,
                  "manifest":{"apiVersion":"orchide.io/v1","kind":"DeviceGrant","metadata":{"name":"ocean-camera","tenant":"ocean"},
                   "spec":{"device":"camera-1","apps":["probe"],"verbs":["capture","read"],
                    "windows":{"utc":["06:00-18:00"]},"quota":{"perOrbit":40}}}}]}
                """);
        FakeServer.Result r = ground.run("get", "devicegrants", "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("NAME +TENANT +DEVICE +FOR +VERBS +WINDOWS +QUOTA +RATE +GENERATION")
                .containsPattern("ocean-camera +ocean +camera-1 +app/probe +capture,read +06:00-18:00 UTC +40/orbit +- +2")
                .doesNotContain("App");

        FakeServer.Result one = ground.run("get", "dg", "ocean-camera", "--satellite", "sat-1", "-o", "json");
        assertThat(one.status()).as(one.err()).isZero();
        assertThat(one.out()).contains("\"device\" : \"camera-1\"").contains("\"generation\" : 2");
        FakeServer.Result missing = ground.run("get", "devicegrant", "nope", "--satellite", "sat-1");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("no device grant nope in the desired state of sat-1");
    }

    @Test
    void deleteDevicegrantGoesToTheSatellitesDesiredState() {
        ground.on("DELETE /api/v1/satellites/sat-1/devicegrants/ocean-camera", 200, "{\"generation\":3}");
        FakeServer.Result r = ground.run("delete", "devicegrant", "ocean-camera", "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("devicegrant/ocean-camera deletion queued (generation 3");
    }
}
