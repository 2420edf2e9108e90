package io.orchide.node.api;

import io.orchide.web.ApiException;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.runtime.supervise.ConsoleRing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams a workload's console ring as plain text: the last lines, then (with follow) each new line as the
 * shim appends it, until the attempt ends or the client goes away. Followers are bounded so clients cannot exhaust the agent.
 */
final class LogStream {
    private static final int MAX_FOLLOWERS = 16;
    private static final int QUEUE_LINES = 4096;
    private static final Semaphore FOLLOWERS = new Semaphore(MAX_FOLLOWERS);
    /** Marks the end of a followed attempt in the queue of lines; compared by identity. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end of attempt");

    private LogStream() {
    }

    /**
     * Sends the last {@code tail} lines; with {@code follow}, then every new line until {@code ended} completes (the
     * attempt whose console this is has ended: every line it wrote is sent, then the stream ends) or the client goes
     * away. {@code ended} null: until the client goes away.
     */
    static void send(HttpExchange ex, Path console, int tail, boolean follow, CompletableFuture<?> ended)
            throws IOException, InterruptedException {
        if (follow && !FOLLOWERS.tryAcquire()) {
            throw new ApiException(429, "too_many_followers", "at most " + MAX_FOLLOWERS + " logs -f at once");
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            if (!follow) {
                for (String line : ConsoleRing.tail(console, tail)) write(out, line);
                out.close();
                return;
            }
            BlockingQueue<String> lines = new LinkedBlockingQueue<>(QUEUE_LINES);
            AtomicBoolean left = new AtomicBoolean(); // the loop below is over: nobody takes from the queue any more
            try (ConsoleRing.Follower f = ConsoleRing.follow(console, tail, lines::offer)) {
                if (ended != null) {
                    // on its own thread: the end is seen on the engine's, which must not wait for a slow client
                    ended.whenComplete((x, e) -> {
                        if (e == null) Thread.ofVirtual().name("logs-end").start(() -> end(f, lines, left));
                    });
                }
                while (true) {
                    String line = lines.take();
                    if (line == END) break;
                    write(out, line);
                    String more;
                    while ((more = lines.poll()) != null && more != END) write(out, more);
                    out.flush();
                    if (more == END) break;
                }
                out.close();
            } catch (IOException e) {
                // the client went away
            } finally {
                left.set(true);
            }
        } finally {
            if (follow) FOLLOWERS.release();
        }
    }

    /** Queues the attempt's last lines, then the end, unless the stream is already over. */
    private static void end(ConsoleRing.Follower f, BlockingQueue<String> lines, AtomicBoolean left) {
        try {
            f.finish();
            while (!left.get() && !lines.offer(END, 1, TimeUnit.SECONDS)) {
                // a full queue empties as the client reads; a stream that ended meanwhile needs no end
            }
        } catch (IOException e) {
            lines.offer(END); // the lines read so far are all there is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
