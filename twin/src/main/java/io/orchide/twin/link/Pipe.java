package io.orchide.twin.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * One direction of one connection: a reader takes chunks from the source socket, makes them cross the radio
 * ({@link Lane#transmit}) and stamps each with its simulated arrival time (sent + delay); a writer hands them to the
 * destination socket in order once they have arrived. The end of the source's stream is passed on, delayed the same
 * way, as a half-close. At most {@link #WINDOW_BYTES} are in flight, so a slow destination slows the source.
 */
final class Pipe {
    /** The most bytes read and shaped at once. */
    static final int CHUNK_BYTES = 16 * 1024;
    /** The most bytes in flight between reader and writer. */
    static final int WINDOW_BYTES = 4 * 1024 * 1024;

    /** Callbacks to the connection that owns this pipe. */
    interface Owner {
        /** The destination has received everything, end of stream included. */
        void pipeDone(Pipe pipe);

        /** Reading or writing failed: the connection is broken. */
        void pipeFailed(Pipe pipe, Exception cause);
    }

    /** Bytes (or the end of the stream when {@code data} is null) and when they reach the far side. */
    private record Chunk(byte[] data, long arrivalNanos) {
    }

    private final String name;
    private final Socket from;
    private final Socket to;
    private final Lane lane;
    private final Supplier<LinkShape> shape;
    private final Owner owner;
    private final LinkedBlockingQueue<Chunk> inFlight = new LinkedBlockingQueue<>();
    private final Semaphore window = new Semaphore(WINDOW_BYTES);

    Pipe(String name, Socket from, Socket to, Lane lane, Supplier<LinkShape> shape, Owner owner) {
        this.name = name;
        this.from = from;
        this.to = to;
        this.lane = lane;
        this.shape = shape;
        this.owner = owner;
    }

    String name() {
        return name;
    }

    /** Reads the source until its end; run on its own thread. */
    void readLoop() {
        try {
            InputStream in = from.getInputStream();
            byte[] buffer = new byte[CHUNK_BYTES];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    inFlight.put(new Chunk(null, arrival()));
                    return;
                }
                window.acquire(n);
                lane.transmit(n, shape.get());
                inFlight.put(new Chunk(Arrays.copyOf(buffer, n), arrival()));
            }
        } catch (IOException | InterruptedException e) {
            owner.pipeFailed(this, e);
        }
    }

    /** Delivers arrived chunks to the destination in order; run on its own thread. */
    void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = inFlight.take();
                lane.time().sleepUntil(chunk.arrivalNanos());
                if (chunk.data() == null) {
                    to.shutdownOutput();
                    owner.pipeDone(this);
                    return;
                }
                out.write(chunk.data());
                window.release(chunk.data().length);
                lane.delivered(chunk.data().length);
            }
        } catch (IOException | InterruptedException e) {
            owner.pipeFailed(this, e);
        }
    }

    private long arrival() {
        return SimTime.saturatedAdd(lane.time().now(), SimTime.saturatedNanos(shape.get().delay()));
    }
}
