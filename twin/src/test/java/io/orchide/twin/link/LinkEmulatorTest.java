package io.orchide.twin.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.orchide.model.time.ScaledClock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LinkEmulatorTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String LISTEN = "127.0.0.1:0";
    private static final int SO_TIMEOUT_MS = 5_000;

    @Test
    void bytesPassIntactAndInOrderBothWaysWithDelayAndLoss() throws Exception {
        int size = 3_000_000;
        byte[] toSatellite = random(size, 1);
        byte[] toGround = random(size, 2);
        CompletableFuture<byte[]> groundReceived = new CompletableFuture<>();
        Clock clock = new ScaledClock(T0, 1_000);
        LinkShape shape = new LinkShape(100_000_000, 100_000_000, Duration.ofMillis(50), 0.05);

        try (Upstream ground = new Upstream(socket -> {
                 socket.setSoTimeout(SO_TIMEOUT_MS);
                 CompletableFuture<Void> sent = sendAndHalfClose(socket, toSatellite);
                 groundReceived.complete(digestUntilEnd(socket.getInputStream()));
                 sent.join();
             });
             LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), clock, 42)) {
            link.open(shape);
            byte[] satelliteReceived;
            try (Socket node = dial(link)) {
                CompletableFuture<Void> sent = sendAndHalfClose(node, toGround);
                satelliteReceived = digestUntilEnd(node.getInputStream());
                sent.get(10, TimeUnit.SECONDS);
            }

            assertThat(satelliteReceived).isEqualTo(sha256(toSatellite));
            assertThat(groundReceived.get(10, TimeUnit.SECONDS)).isEqualTo(sha256(toGround));
            LinkCounters counters = link.counters();
            assertThat(counters.bytesUp()).isEqualTo(size);
            assertThat(counters.bytesDown()).isEqualTo(size);
            assertThat(counters.framesLost()).isPositive();
            assertThat(counters.connections()).isEqualTo(1);
            assertThat(counters.refused()).isZero();
            assertThat(counters.cuts()).isZero();
        }
    }

    @Test
    void closedEmulatorDropsConnectionsAndOpenLetsThemThrough() throws Exception {
        try (Upstream ground = new Upstream(LinkEmulatorTest::echo);
             LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), Clock.systemUTC(), 1)) {
            assertThat(link.isOpen()).isFalse();
            assertThat(link.shape()).isEmpty();
            try (Socket node = dial(link)) {
                assertEndsOrResets(node.getInputStream());
            }
            assertThat(link.counters().refused()).isEqualTo(1);
            assertThat(link.counters().connections()).isZero();

            link.open(new LinkShape(0, 0, Duration.ofMillis(5), 0));
            assertThat(link.isOpen()).isTrue();
            try (Socket node = dial(link)) {
                node.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                byte[] back = node.getInputStream().readNBytes(6);
                assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("hello\n");
            }
            assertThat(link.counters().connections()).isEqualTo(1);
            assertThat(link.counters().refused()).isEqualTo(1);
        }
    }

    @Test
    void closeDuringTransferCutsBothSides() throws Exception {
        CountDownLatch groundGotBytes = new CountDownLatch(1);
        CompletableFuture<String> groundSaw = new CompletableFuture<>();
        Clock clock = new ScaledClock(T0, 10);
        LinkShape shape = new LinkShape(1_000_000, 1_000_000, Duration.ofMillis(20), 0);

        try (Upstream ground = new Upstream(socket -> {
                 socket.setSoTimeout(SO_TIMEOUT_MS);
                 Thread sender = Thread.ofVirtual().start(() -> sendForever(socket));
                 groundSaw.complete(readUntilGone(socket.getInputStream(), groundGotBytes));
                 socket.close();
                 sender.join();
             });
             LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), clock, 1)) {
            link.open(shape);
            try (Socket node = dial(link)) {
                Thread sender = Thread.ofVirtual().start(() -> sendForever(node));
                assertThat(node.getInputStream().read()).isNotNegative();
                assertThat(groundGotBytes.await(10, TimeUnit.SECONDS)).isTrue();

                link.close("LOS");

                assertThat(link.isOpen()).isFalse();
                assertThat(readUntilGone(node.getInputStream(), new CountDownLatch(1))).isIn("eof", "reset");
                assertThat(groundSaw.get(10, TimeUnit.SECONDS)).isIn("eof", "reset");
                node.close();
                sender.join();
            }
            LinkCounters counters = link.counters();
            assertThat(counters.cuts()).isEqualTo(1);
            assertThat(counters.connections()).isEqualTo(1);

            link.close("LOS again");
            assertThat(link.counters().cuts()).isEqualTo(1);
        }
    }

    @Test
    void rateLimitsInSimulatedTime() throws Exception {
        int size = 1_000_000;
        long rate = 1_000_000;
        double speed = 10;
        CompletableFuture<Long> groundReceived = new CompletableFuture<>();
        Clock clock = new ScaledClock(T0, speed);

        try (Upstream ground = new Upstream(socket -> {
                 socket.setSoTimeout(SO_TIMEOUT_MS);
                 groundReceived.complete(socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
             });
             LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), clock, 1)) {
            link.open(new LinkShape(0, rate, Duration.ZERO, 0));
            long started = System.nanoTime();
            try (Socket node = dial(link)) {
                sendAndHalfClose(node, random(size, 3)).get(10, TimeUnit.SECONDS);
                assertThat(groundReceived.get(10, TimeUnit.SECONDS)).isEqualTo(size);
            }
            double elapsed = (System.nanoTime() - started) / 1e9;

            assertThat(elapsed).isGreaterThanOrEqualTo(minimumSeconds(size, rate, speed));
            assertThat(link.counters().bytesDown()).isEqualTo(size);
        }
    }

    @Test
    void delayHoldsTheBytesForThePropagationTime() throws Exception {
        Duration delay = Duration.ofMillis(100);
        try (Upstream ground = new Upstream(LinkEmulatorTest::echo);
             LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), Clock.systemUTC(), 1)) {
            link.open(new LinkShape(0, 0, delay, 0));
            try (Socket node = dial(link)) {
                long started = System.nanoTime();
                node.getOutputStream().write(1);
                assertThat(node.getInputStream().read()).isEqualTo(1);
                double elapsed = (System.nanoTime() - started) / 1e9;

                assertThat(elapsed).isGreaterThanOrEqualTo(2 * delay.toNanos() / 1e9);
            }
        }
    }

    @Test
    void lostFramesCostARetransmissionTimeoutEach() throws Exception {
        int size = 200_000;
        double speed = 100;
        LinkShape shape = new LinkShape(0, 0, Duration.ZERO, 0.3);
        CompletableFuture<Long> groundReceived = new CompletableFuture<>();
        Clock clock = new ScaledClock(T0, speed);

        try (Upstream ground = new Upstream(socket -> {
                 socket.setSoTimeout(SO_TIMEOUT_MS);
                 groundReceived.complete(socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
             });
             LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), clock, 7)) {
            link.open(shape);
            long started = System.nanoTime();
            try (Socket node = dial(link)) {
                sendAndHalfClose(node, random(size, 4)).get(10, TimeUnit.SECONDS);
                assertThat(groundReceived.get(10, TimeUnit.SECONDS)).isEqualTo(size);
            }
            double elapsed = (System.nanoTime() - started) / 1e9;

            long lost = link.counters().framesLost();
            assertThat(lost).isPositive();
            double timeouts = lost * shape.retransmissionTimeout().toNanos() / 1e9 / speed;
            assertThat(elapsed).isGreaterThanOrEqualTo(timeouts);
        }
    }

    @Test
    void openWhileOpenChangesTheShapeOfTheLiveConnection() throws Exception {
        long rate = 1_000_000;
        double speed = 10;
        int size = 500_000;
        Clock clock = new ScaledClock(T0, speed);

        try (Upstream ground = new Upstream(LinkEmulatorTest::serveRequestedBytes);
             LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), clock, 1)) {
            link.open(LinkShape.UNLIMITED);
            try (Socket node = dial(link)) {
                DataOutputStream requests = new DataOutputStream(node.getOutputStream());
                DataInputStream replies = new DataInputStream(node.getInputStream());
                requests.writeInt(size);
                replies.readFully(new byte[size]);

                LinkShape handedOver = new LinkShape(rate, 0, Duration.ofMillis(1), 0);
                link.open(handedOver);
                assertThat(link.shape()).contains(handedOver);

                long started = System.nanoTime();
                requests.writeInt(size);
                replies.readFully(new byte[size]);
                double elapsed = (System.nanoTime() - started) / 1e9;

                assertThat(elapsed).isGreaterThanOrEqualTo(minimumSeconds(size, rate, speed));

                link.close(); // joins the emulator's threads: the counters are final
            }
            LinkCounters counters = link.counters();
            assertThat(counters.connections()).isEqualTo(1);
            assertThat(counters.cuts()).isEqualTo(1);
            assertThat(counters.bytesUp()).isEqualTo(2L * size);
        }
    }

    @Test
    void closeStopsListeningAndIsIdempotent() throws Exception {
        String address;
        try (Upstream ground = new Upstream(LinkEmulatorTest::echo)) {
            LinkEmulator link = LinkEmulator.start("sat-1", LISTEN, ground.address(), Clock.systemUTC(), 1);
            address = link.address();
            assertThat(address).startsWith("127.0.0.1:").doesNotEndWith(":0");
            link.open(LinkShape.UNLIMITED);
            Socket node = dial(link);
            node.getOutputStream().write(7);
            assertThat(node.getInputStream().read()).isEqualTo(7);
            link.close();
            link.close();
            assertEndsOrResets(node.getInputStream());
            node.close();
            assertThat(link.isOpen()).isFalse();
            assertThat(link.counters().cuts()).isEqualTo(1);
            assertThatThrownBy(() -> link.open(LinkShape.UNLIMITED)).isInstanceOf(IllegalStateException.class);
        }
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void malformedAddressesNameTheParameterAndValue() {
        assertThatThrownBy(() -> LinkEmulator.start("sat-1", "nowhere", "127.0.0.1:9", Clock.systemUTC(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listen")
                .hasMessageContaining("nowhere");
        assertThatThrownBy(() -> LinkEmulator.start("sat-1", LISTEN, "127.0.0.1:0", Clock.systemUTC(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upstream")
                .hasMessageContaining("127.0.0.1:0");
        assertThatThrownBy(() -> LinkEmulator.start("sat-1", LISTEN, "ground:http", Clock.systemUTC(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upstream")
                .hasMessageContaining("ground:http");
    }

    /** The least wall time to move {@code bytes} at {@code bitsPerSecond} of simulated time, after one burst. */
    private static double minimumSeconds(long bytes, long bitsPerSecond, double speed) {
        return (bytes - Lane.BURST_BYTES) * 8.0 / bitsPerSecond / speed;
    }

    private static Socket dial(LinkEmulator link) throws IOException {
        String address = link.address();
        int colon = address.lastIndexOf(':');
        Socket socket = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        socket.setSoTimeout(SO_TIMEOUT_MS);
        return socket;
    }

    private static void assertEndsOrResets(InputStream in) throws IOException {
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            fail("the connection stayed open");
        } catch (SocketException e) {
            // reset: closed as well
        }
    }

    /** Reads until the end of the stream or a reset; counts down {@code gotBytes} on the first byte. */
    private static String readUntilGone(InputStream in, CountDownLatch gotBytes) {
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return "eof";
                }
                gotBytes.countDown();
            }
        } catch (SocketTimeoutException e) {
            return "still open";
        } catch (IOException e) {
            return "reset";
        }
    }

    private static void sendForever(Socket socket) {
        byte[] chunk = random(8 * 1024, 9);
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // cut
        }
    }

    private static void echo(Socket socket) throws IOException {
        socket.getInputStream().transferTo(socket.getOutputStream());
    }

    /** Answers each 4-byte count with that many bytes. */
    private static void serveRequestedBytes(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        while (true) {
            out.write(new byte[in.readInt()]);
        }
    }

    private static CompletableFuture<Void> sendAndHalfClose(Socket socket, byte[] payload) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int offset = 0; offset < payload.length; offset += 64 * 1024) {
                    out.write(payload, offset, Math.min(64 * 1024, payload.length - offset));
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    private static byte[] digestUntilEnd(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[32 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    private static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
