package io.orchide.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkAddressesTest {
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no name service asked
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A name service from a table; a name not in it is unknown. */
    static LinkAddresses.Resolver table(Map<String, List<String>> names) {
        return host -> {
            List<String> ips = names.get(host);
            if (ips == null) throw new UnknownHostException(host);
            return ips.stream().map(LinkAddressesTest::ip).toList();
        };
    }

    @Test
    void aCommaSeparatedListKeepsItsOrderAndBrackets() {
        LinkAddresses a = LinkAddresses.parse("g1.example:7001, 10.0.0.7:7002 ,[fd00::7]:7003");
        assertThat(a.entries()).containsExactly(new LinkAddresses.HostPort("g1.example", 7001),
                new LinkAddresses.HostPort("10.0.0.7", 7002), new LinkAddresses.HostPort("fd00::7", 7003));
        assertThat(a).hasToString("g1.example:7001,10.0.0.7:7002,[fd00::7]:7003");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|is empty",
            "g1:7001,,g2:7001|has an empty entry (entry 2 '')",
            "g1:7001,g2|is not host:port (entry 2 'g2')",
            "g1:|is not host:port",
            "g1:70x1|has no numeric port",
            "g1:0|has a port outside 1..65535",
            "g1:65536|has a port outside 1..65535",
            "fd00::7:7001|has an IPv6 address without brackets",
            "g 1:7001|has a host that is neither a name nor an address",
    })
    void aBadListIsRefusedNamingTheTextAndTheEntry(String text, String reason) {
        assertThatThrownBy(() -> LinkAddresses.parse(text))
                .isInstanceOfSatisfying(LinkException.class, e -> {
                    assertThat(e.field()).isEqualTo("address");
                    assertThat(e.value()).isEqualTo(text);
                })
                .hasMessageContaining(reason);
    }

    @Test
    void aNameStandsForEachOfItsAddressesAndLiteralsAskNoNameService() {
        LinkAddresses a = LinkAddresses.parse("ground.example:7001,10.0.0.9:7001,[fd00::9]:7001");
        LinkAddresses.Resolution r = a.resolve(table(Map.of("ground.example", List.of("10.0.0.1", "10.0.0.2", "10.0.0.9"))));
        assertThat(r.targets()).extracting(LinkAddresses.Target::address)
                .containsExactly("10.0.0.1:7001", "10.0.0.2:7001", "10.0.0.9:7001", "[fd00::9]:7001");
        assertThat(r.targets().get(0).label()).isEqualTo("10.0.0.1:7001 (ground.example:7001)");
        assertThat(r.targets().get(3).label()).isEqualTo("[fd00::9]:7001");
        assertThat(r.failures()).isEmpty();
    }

    @Test
    void aNameThatDoesNotResolveIsReportedAndTheOthersStay() {
        LinkAddresses a = LinkAddresses.parse("gone.example:7001,10.0.0.9:7001");
        LinkAddresses.Resolution r = a.resolve(table(Map.of()));
        assertThat(r.targets()).extracting(LinkAddresses.Target::address).containsExactly("10.0.0.9:7001");
        assertThat(r.failures()).containsExactly("gone.example:7001: unknown host");
    }

    @Test
    void theNameIsAskedAgainAtEachResolution() {
        java.util.concurrent.atomic.AtomicReference<List<String>> records =
                new java.util.concurrent.atomic.AtomicReference<>(List.of("10.0.0.1"));
        LinkAddresses a = LinkAddresses.parse("ground.example:7001");
        LinkAddresses.Resolver r = host -> records.get().stream().map(LinkAddressesTest::ip).toList();
        assertThat(a.resolve(r).targets()).extracting(LinkAddresses.Target::address).containsExactly("10.0.0.1:7001");
        records.set(List.of("10.0.0.2", "10.0.0.3"));
        assertThat(a.resolve(r).targets()).extracting(LinkAddresses.Target::address)
                .containsExactly("10.0.0.2:7001", "10.0.0.3:7001");
    }
}
