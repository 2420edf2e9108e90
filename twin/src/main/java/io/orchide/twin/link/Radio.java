package io.orchide.twin.link;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One satellite's radio toward a ground of one or more replicas: a {@link LinkEmulator} per replica, each relaying to
 * that replica's link address, opened and closed together as the contact plan says. The node is given every
 * {@link #addresses() address} (its {@code --ground} list) and keeps one session at a time, so one contact carries
 * one session whichever replica it reaches. The emulator of replica 1 draws its losses from {@code seed} itself, so a
 * one-replica ground sees the radio it always did.
 */
public final class Radio implements AutoCloseable {
    private final List<LinkEmulator> emulators;

    private Radio(List<LinkEmulator> emulators) {
        this.emulators = List.copyOf(emulators);
    }

    /** Starts one closed emulator per address of {@code replicas} (ground's link addresses, replica 1 first). */
    public static Radio start(String name, List<String> replicas, Clock clock, long seed) throws IOException {
        List<LinkEmulator> started = new ArrayList<>();
        try {
            for (int i = 0; i < replicas.size(); i++) {
                started.add(LinkEmulator.start(i == 0 ? name : name + "-" + (i + 1), "127.0.0.1:0", replicas.get(i),
                        clock, seed + 7919L * i));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(LinkEmulator::close);
            throw e;
        }
        return new Radio(started);
    }

    /** The address that relays to each replica, replica 1 first. */
    public List<String> addresses() {
        return emulators.stream().map(LinkEmulator::address).toList();
    }

    /** The replica (from 1) whose relay listens on {@code address}, or 0 when none does. */
    public int replicaAt(String address) {
        for (int i = 0; i < emulators.size(); i++) if (emulators.get(i).address().equals(address)) return i + 1;
        return 0;
    }

    /** A contact begins (or changes its shape) toward every replica. */
    public void open(LinkShape shape) {
        emulators.forEach(e -> e.open(shape));
    }

    /** The contact ends: every connection to any replica is cut. */
    public void close(String reason) {
        emulators.forEach(e -> e.close(reason));
    }

    /** What the radio carried, toward all replicas together. */
    public LinkCounters counters() {
        long up = 0, down = 0, lost = 0, conns = 0, refused = 0, cuts = 0;
        for (LinkEmulator e : emulators) {
            LinkCounters c = e.counters();
            up += c.bytesUp();
            down += c.bytesDown();
            lost += c.framesLost();
            conns += c.connections();
            refused += c.refused();
            cuts += c.cuts();
        }
        return new LinkCounters(up, down, lost, conns, refused, cuts);
    }

    @Override
    public void close() {
        emulators.forEach(LinkEmulator::close);
    }
}
