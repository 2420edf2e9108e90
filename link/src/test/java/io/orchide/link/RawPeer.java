package io.orchide.link;

import io.orchide.link.wire.Frame;
import io.orchide.link.wire.FrameCodec;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/** A hand-driven peer on a raw socket: writes whatever bytes a test wants and reads the endpoint's frames. */
final class RawPeer implements AutoCloseable {
    final Socket s;
    final FrameCodec codec = new FrameCodec(LinkConfig.DEFAULT_MAX_BUNDLE);
    final DataInputStream in;
    final OutputStream out;

    RawPeer(String address, String name) throws IOException {
        String[] hp = address.split(":");
        s = new Socket(hp[0], Integer.parseInt(hp[1]));
        s.setSoTimeout(10_000);
        in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        out = s.getOutputStream();
        send(new Frame.Hello(FrameCodec.VERSION, name, "{}"));
        Frame h = read();
        if (!(h instanceof Frame.Hello)) throw new IOException("expected HELLO, got " + h);
        send(new Frame.State(0, 0, List.of()));
        Frame st = read();
        if (!(st instanceof Frame.State)) throw new IOException("expected STATE, got " + st);
    }

    void send(Frame f) throws IOException { raw(codec.encode(f)); }

    void raw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** The endpoint's next frame other than a keepalive (those come whenever it has nothing else to say). */
    Frame read() throws IOException {
        Frame f;
        do {
            f = readAny();
        } while (f instanceof Frame.Keepalive);
        return f;
    }

    /** The endpoint's next frame, keepalives included. */
    Frame readAny() throws IOException { return codec.read(in); }

    /** Reads until the endpoint closes the connection; returns the frames it sent before, keepalives included. */
    List<Frame> readToEnd() {
        List<Frame> got = new java.util.ArrayList<>();
        try {
            while (true) got.add(readAny());
        } catch (IOException | RuntimeException e) {
            return got;
        }
    }

    @Override
    public void close() throws IOException { s.close(); }
}
