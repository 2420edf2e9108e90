package io.orchide.runtime.qemu;

import io.orchide.runtime.ExitCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watch against a scripted QMP peer: qemu itself cannot be made to hit a KVM internal error on purpose, so the
 * peer replays what qemu sends when one happens (a STOP event, then status internal-error on query-status).
 */
class HypervisorWatchTest {
    @TempDir
    Path tmp;

    /** A QMP server answering each command with the next status in {@code statuses}, and sending {@code events} after the first. */
    private record FakeQmp(Path socket, List<String> received, Thread thread) {
        static FakeQmp serve(Path socket, List<String> statuses, List<String> events, boolean hangUpAtEnd)
                throws IOException {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            List<String> received = new CopyOnWriteArrayList<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try (server; SocketChannel ch = server.accept()) {
                    OutputStream out = Channels.newOutputStream(ch);
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                    send(out, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}");
                    int status = 0;
                    boolean evented = false;
                    String line;
                    while ((line = in.readLine()) != null) {
                        received.add(line);
                        if (line.contains("query-status")) {
                            send(out, "{\"return\": {\"status\": \"" + statuses.get(Math.min(status++, statuses.size() - 1))
                                    + "\", \"running\": false}}");
                            if (!evented) {
                                evented = true;
                                for (String e : events) send(out, e);
                            }
                            if (hangUpAtEnd && status == statuses.size()) return;   // qemu exited
                        } else {
                            send(out, "{\"return\": {}}");
                        }
                        if (line.contains("quit")) return;
                    }
                } catch (IOException e) {
                    // the client went away
                }
            });
            return new FakeQmp(socket, received, t);
        }

        private static void send(OutputStream out, String msg) throws IOException {
            out.write((msg + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static final String STOP = "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}";

    @Test
    void aKvmInternalErrorEndsTheVmWithItsCause() throws Exception {
        FakeQmp qemu = FakeQmp.serve(tmp.resolve("events.sock"), List.of("running", "internal-error"), List.of(STOP), false);
        Thread watch = HypervisorWatch.start(tmp, QmpClient.connect(qemu.socket(), Duration.ofSeconds(5)));
        assertThat(watch.join(Duration.ofSeconds(20))).isTrue();
        assertThat(ExitCause.read(tmp)).startsWith("hypervisor error: internal-error");
        assertThat(qemu.received()).last().asString().contains("quit");
    }

    @Test
    void aVmAlreadyStoppedOnAnErrorWhenTheWatchBeginsIsEndedToo() throws Exception {
        FakeQmp qemu = FakeQmp.serve(tmp.resolve("events.sock"), List.of("guest-panicked"), List.of(), false);
        Thread watch = HypervisorWatch.start(tmp, QmpClient.connect(qemu.socket(), Duration.ofSeconds(5)));
        assertThat(watch.join(Duration.ofSeconds(20))).isTrue();
        assertThat(ExitCause.read(tmp)).isEqualTo("guest panicked");
    }

    @Test
    void aPauseIsNotAnError() throws Exception {
        // a user's QMP stop: STOP, status paused; then qemu goes away
        FakeQmp qemu = FakeQmp.serve(tmp.resolve("events.sock"), List.of("running", "paused"), List.of(STOP), true);
        Thread watch = HypervisorWatch.start(tmp, QmpClient.connect(qemu.socket(), Duration.ofSeconds(5)));
        assertThat(watch.join(Duration.ofSeconds(20))).as("the watch ends with qemu").isTrue();
        assertThat(qemu.received()).hasSize(3).noneMatch(l -> l.contains("quit"));
        assertThat(ExitCause.read(tmp)).isNull();
    }
}
