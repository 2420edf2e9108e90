package io.orchide.node.api;

import io.orchide.web.ApiException;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.runtime.supervise.ConsoleRing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Streams a workload's console ring as plain text: the last lines, then (with follow) each new line as the
 * shim appends it, until the client goes away. Followers are bounded so clients cannot exhaust the agent.
 */
final class LogStream {
    private static final int MAX_FOLLOWERS = 16;
    private static final int QUEUE_LINES = 4096;
    private static final Semaphore FOLLOWERS = new Semaphore(MAX_FOLLOWERS);

    private LogStream() {
    }

    static void send(HttpExchange ex, Path console, int tail, boolean follow) throws IOException, InterruptedException {
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
            try (ConsoleRing.Follower f = ConsoleRing.follow(console, tail, lines::offer)) {
                while (true) {
                    write(out, lines.take());
                    String more;
                    while ((more = lines.poll()) != null) write(out, more);
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        } finally {
            if (follow) FOLLOWERS.release();
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
