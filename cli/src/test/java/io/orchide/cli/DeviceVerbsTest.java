package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** get devices and describe device on a node: the inventory, the receiver the position comes from, and the position. */
class DeviceVerbsTest {
    @RegisterExtension
    final FakeServer node = FakeServer.node();

    static final String WITH_FIX = """
            {"items":[{"name":"camera-1","class":"camera","state":"ready","source":"declared"},
              {"name":"gnss-1","class":"gnss","state":"ready","source":"declared","path":"/dev/ttyS1","positionSource":true}],
             "position":{"source":"gnss gnss-1, then tle SAT-1 (epoch 26330.5) (NMEA from /dev/ttyS1)","device":"gnss-1",
              "fix":{"from":"gnss gnss-1","time":"2026-12-07T12:35:19Z","ageSeconds":3,"latitudeDeg":48.1173,
               "longitudeDeg":11.516667,"altitudeM":592.3}}}
            """;

    @Test
    void getDevicesMarksTheReceiverThePositionComesFromAndEndsWithWhereTheNodeIs() {
        node.on("GET /api/v1/devices", 200, WITH_FIX);
        FakeServer.Result r = node.run("get", "devices");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("NAME +CLASS +STATE +LEASED-BY +ROLE");
        assertThat(lines[1]).matches("camera-1 +camera +ready +- +-");
        assertThat(lines[2]).matches("gnss-1 +gnss +ready +- +position source");
        assertThat(lines[3]).isEqualTo("POSITION: 48.1173N 11.5167E, 592 m, fix of 2026-12-07T12:35:19Z (3s old) from "
                + "gnss gnss-1; source: gnss gnss-1, then tle SAT-1 (epoch 26330.5) (NMEA from /dev/ttyS1)");
    }

    @Test
    void aNodeWithoutAPositionSaysWhy() {
        node.on("GET /api/v1/devices", 200, """
                {"items":[],"position":{"source":"none","reason":"this node has no position source (a position entry in its devices file, or orchide node --tle)"}}
                """);
        assertThat(node.run("get", "devices").out()).contains("POSITION: none: this node has no position source "
                + "(a position entry in its devices file, or orchide node --tle); source: none");
    }

    @Test
    void getDevicesAsJsonCarriesThePositionBesideTheItems() {
        node.on("GET /api/v1/devices", 200, WITH_FIX);
        String json = node.run("get", "devices", "-o", "json").out();
        assertThat(json).contains("\"items\"").contains("\"positionSource\" : true").contains("\"position\"")
                .contains("\"latitudeDeg\" : 48.1173");
    }

    @Test
    void describeDeviceSaysTheReceiverIsThePositionSource() {
        node.on("GET /api/v1/devices/gnss-1", 200, """
                {"name":"gnss-1","class":"gnss","state":"ready","source":"declared","path":"/dev/ttyS1",
                 "positionSource":true,"desired":{},"reported":{"nmeaFixes":"12"},"pending":{},"grants":[],"waiting":[]}
                """);
        FakeServer.Result r = node.run("describe", "device", "gnss-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("Role: +position source").contains("nmeaFixes");
    }
}
