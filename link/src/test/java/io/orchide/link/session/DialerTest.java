package io.orchide.link.session;

import io.orchide.link.DialStatus;
import io.orchide.link.LinkAddresses;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The dialler's order and pauses, on a clock the test moves: a fake connector answers, a fake gate lets time pass. */
class DialerTest {
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    static final Duration BASE = Duration.ofSeconds(1), MAX = Duration.ofSeconds(4);

    final MutableClock clock = new MutableClock(T0);
    /** Every attempt: the clock's second since T0, and the address. */
    final List<String> attempts = new ArrayList<>();
    /** Every pause the gate was asked for. */
    final List<Duration> pauses = new ArrayList<>();
    Dialer dialer;
    final List<DialStatus> seen = new ArrayList<>();

    /** Runs a dialler until {@code limit} attempts were made; {@code answer} says how each attempt goes. */
    void dial(String addresses, LinkAddresses.Resolver resolver, int limit, Function<String, Dialer.Attempt> answer)
            throws InterruptedException {
        dialer = new Dialer(LinkAddresses.parse(addresses), resolver, (address, established) -> {
            attempts.add(Duration.between(T0, clock.instant()).toSeconds() + "s " + address);
            Dialer.Attempt a = answer.apply(address);
            if (a.established()) {
                established.run();
                seen.add(dialer.status());
            }
            return a;
        }, pause -> {
            seen.add(dialer.status());
            if (attempts.size() >= limit) return false;
            pauses.add(pause);
            clock.advance(pause);
            return true;
        }, clock, BASE, MAX);
        dialer.run();
    }

    static Dialer.Attempt refused(String address) {
        return Dialer.Attempt.failed("Connection refused");
    }

    @Test
    void triesEachAddressInTurnAndPausesOnlyAfterAWholeRoundDoublingUpToTheCap() throws Exception {
        dial("10.0.0.1:7001,10.0.0.2:7001,10.0.0.3:7001", LinkAddresses.Resolver.DNS, 18, DialerTest::refused);
        assertThat(attempts).containsExactly(
                "0s 10.0.0.1:7001", "0s 10.0.0.2:7001", "0s 10.0.0.3:7001",
                "1s 10.0.0.1:7001", "1s 10.0.0.2:7001", "1s 10.0.0.3:7001",
                "3s 10.0.0.1:7001", "3s 10.0.0.2:7001", "3s 10.0.0.3:7001",
                "7s 10.0.0.1:7001", "7s 10.0.0.2:7001", "7s 10.0.0.3:7001",
                "11s 10.0.0.1:7001", "11s 10.0.0.2:7001", "11s 10.0.0.3:7001",
                "15s 10.0.0.1:7001", "15s 10.0.0.2:7001", "15s 10.0.0.3:7001");
        // never a pause of nothing twice in a row without an attempt between: no busy loop
        assertThat(pauses).filteredOn(p -> !p.isZero()).containsExactly(BASE, BASE.multipliedBy(2), MAX, MAX, MAX);
        DialStatus waiting = seen.get(seen.size() - 1);
        assertThat(waiting.lastFailure()).isEqualTo("10.0.0.3:7001: Connection refused");
        assertThat(waiting.connected()).isFalse();
        assertThat(waiting.nextAttempt()).isEqualTo(clock.instant().plus(MAX));
    }

    @Test
    void staysWhereASessionSucceededAndRedialsItFirstWhenItEnds() throws Exception {
        // B serves; each session lasts a minute, then is cut
        dial("10.0.0.1:7001,10.0.0.2:7001", LinkAddresses.Resolver.DNS, 5, address -> {
            if (address.startsWith("10.0.0.1")) return refused(address);
            clock.advance(Duration.ofMinutes(1));
            return new Dialer.Attempt(true, "ended by the peer");
        });
        assertThat(attempts).containsExactly("0s 10.0.0.1:7001", "0s 10.0.0.2:7001", "60s 10.0.0.2:7001",
                "120s 10.0.0.2:7001", "180s 10.0.0.2:7001");
        assertThat(seen).anySatisfy(s -> {
            assertThat(s.connected()).isTrue();
            assertThat(s.current()).isEqualTo("10.0.0.2:7001");
        });
        assertThat(pauses).allMatch(Duration::isZero);
    }

    @Test
    void failsOverWhenTheServingAddressDiesAndBacksOffWhileTheOtherStillRefuses() throws Exception {
        // A serves for a minute, then dies; B refuses while A's lease runs (10 s), then serves
        Map<String, Integer> calls = new HashMap<>();
        Instant[] died = new Instant[1];
        dial("10.0.0.1:7001,10.0.0.2:7001", LinkAddresses.Resolver.DNS, 11, address -> {
            calls.merge(address, 1, Integer::sum);
            if (address.startsWith("10.0.0.1")) {
                if (died[0] != null) return refused(address);
                clock.advance(Duration.ofMinutes(1));
                died[0] = clock.instant();
                return new Dialer.Attempt(true, "ended by the peer");
            }
            if (clock.instant().isBefore(died[0].plusSeconds(10))) {
                return Dialer.Attempt.failed("refused: session with sat-1 is held by ground-1");
            }
            clock.advance(Duration.ofMinutes(1));
            return new Dialer.Attempt(true, "ended by the peer");
        });
        assertThat(attempts).containsExactly("0s 10.0.0.1:7001",
                "60s 10.0.0.1:7001", "60s 10.0.0.2:7001",
                "61s 10.0.0.1:7001", "61s 10.0.0.2:7001",
                "63s 10.0.0.1:7001", "63s 10.0.0.2:7001",
                "67s 10.0.0.1:7001", "67s 10.0.0.2:7001",
                "71s 10.0.0.1:7001", "71s 10.0.0.2:7001");
        // served 11 s after A died: under the 15 s a lease of 10 s promises
        assertThat(seen).anySatisfy(s -> {
            assertThat(s.connected()).isTrue();
            assertThat(s.current()).isEqualTo("10.0.0.2:7001");
        });
    }

    @Test
    void aRefusalThatSaysWhenTheLeaseEndsBringsTheNextAttemptJustAfterIt() throws Exception {
        // as above, but B's refusal says when A's lease ends: the node comes back just after that, not at 71 s
        Instant[] died = new Instant[1];
        dial("10.0.0.1:7001,10.0.0.2:7001", LinkAddresses.Resolver.DNS, 11, address -> {
            if (address.startsWith("10.0.0.1")) {
                if (died[0] != null) return refused(address);
                clock.advance(Duration.ofMinutes(1));
                died[0] = clock.instant();
                return new Dialer.Attempt(true, "ended by the peer");
            }
            Instant leaseEnds = died[0].plusSeconds(10);
            if (clock.instant().isBefore(leaseEnds)) {
                return new Dialer.Attempt(false, "refused: session with sat-1 is held by ground-1",
                        Duration.between(clock.instant(), leaseEnds));
            }
            clock.advance(Duration.ofMinutes(1));
            return new Dialer.Attempt(true, "ended by the peer");
        });
        assertThat(attempts).startsWith("0s 10.0.0.1:7001",
                "60s 10.0.0.1:7001", "60s 10.0.0.2:7001",
                "61s 10.0.0.1:7001", "61s 10.0.0.2:7001",
                "63s 10.0.0.1:7001", "63s 10.0.0.2:7001",
                "67s 10.0.0.1:7001", "67s 10.0.0.2:7001",
                "70s 10.0.0.1:7001", "70s 10.0.0.2:7001");
        assertThat(pauses).contains(Duration.ofMillis(3200));
        assertThat(seen).anySatisfy(st -> assertThat(st.connected()).isTrue());
    }

    @Test
    void aSessionEndedForThePeersSilenceIsFollowedByTheNextAddressAtOnce() throws Exception {
        // A serves for a minute, then freezes: the session ends as dead after the idle timeout; A would accept a
        // connection (its kernel still does) and answer nothing, so B comes first
        Instant[] froze = new Instant[1];
        dial("10.0.0.1:7001,10.0.0.2:7001", LinkAddresses.Resolver.DNS, 3, address -> {
            clock.advance(Duration.ofMinutes(1));
            if (address.startsWith("10.0.0.1") && froze[0] == null) {
                froze[0] = clock.instant();
                clock.advance(Duration.ofSeconds(20));
                return new Dialer.Attempt(true, "dead: nothing received from ground for 20.0 s (idle timeout 20.0 s)",
                        null, true);
            }
            return new Dialer.Attempt(true, "ended by the peer");
        });
        assertThat(attempts).containsExactly("0s 10.0.0.1:7001", "80s 10.0.0.2:7001", "140s 10.0.0.2:7001");
        assertThat(pauses).allMatch(Duration::isZero);
        assertThat(seen).anySatisfy(s -> assertThat(s.lastFailure())
                .isEqualTo("10.0.0.1:7001: dead: nothing received from ground for 20.0 s (idle timeout 20.0 s)"));
    }

    @Test
    void aLeaseThatEndsLaterThanThePauseChangesNothing() throws Exception {
        dial("10.0.0.1:7001", LinkAddresses.Resolver.DNS, 4,
                address -> new Dialer.Attempt(false, "refused", Duration.ofSeconds(30)));
        assertThat(attempts).containsExactly("0s 10.0.0.1:7001", "1s 10.0.0.1:7001", "3s 10.0.0.1:7001",
                "7s 10.0.0.1:7001");
    }

    @Test
    void aSessionCutAtOnceIsNotRedialledAtOnce() throws Exception {
        dial("10.0.0.1:7001", LinkAddresses.Resolver.DNS, 4, address -> new Dialer.Attempt(true, "cut"));
        assertThat(attempts).containsExactly("0s 10.0.0.1:7001", "1s 10.0.0.1:7001", "2s 10.0.0.1:7001",
                "3s 10.0.0.1:7001");
    }

    @Test
    void aNameIsExpandedToEveryAddressAndResolvedAgainEachRound() throws Exception {
        List<List<String>> answers = new ArrayList<>(List.of(List.of("10.0.0.1", "10.0.0.2"), List.of("10.0.0.3")));
        LinkAddresses.Resolver dns = host -> {
            if (!host.equals("ground.example")) throw new UnknownHostException(host);
            List<String> ips = answers.size() > 1 ? answers.remove(0) : answers.get(0);
            List<InetAddress> out = new ArrayList<>();
            for (String ip : ips) out.add(InetAddress.getByName(ip));
            return out;
        };
        dial("ground.example:7001", dns, 4, DialerTest::refused);
        assertThat(attempts).containsExactly("0s 10.0.0.1:7001", "0s 10.0.0.2:7001", "1s 10.0.0.3:7001",
                "3s 10.0.0.3:7001");
        assertThat(seen.get(seen.size() - 1).current()).isEqualTo("10.0.0.3:7001 (ground.example:7001)");
    }

    @Test
    void aNameThatResolvesToNothingPausesLikeAFailedRound() throws Exception {
        LinkAddresses.Resolver dns = host -> {
            throw new UnknownHostException(host);
        };
        dialer = new Dialer(LinkAddresses.parse("gone.example:7001"), dns, (address, established) -> {
            throw new AssertionError("nothing to dial");
        }, pause -> {
            pauses.add(pause);
            clock.advance(pause);
            return pauses.size() < 5;
        }, clock, BASE, MAX);
        dialer.run();
        assertThat(pauses).containsExactly(Duration.ZERO, BASE, BASE.multipliedBy(2), MAX, MAX);
        assertThat(dialer.status().lastFailure()).isEqualTo("gone.example:7001: unknown host");
    }
}
