package io.orchide.link.wire;

import io.orchide.link.Bundle;
import io.orchide.link.LinkException;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Frames on a byte stream: {@code type:u8 length:u32 body[length] crc32c:u32} (the CRC over type, length and body).
 * The length is bounded before anything is allocated; every field is validated as it is decoded, and a failure
 * is a {@link LinkException} naming the field and value.
 */
public final class FrameCodec {
    public static final int VERSION = 1;
    public static final int HELLO = 1, STATE = 2, BUNDLE = 3, SEGMENT = 4, ACK = 5, REJECT = 6;
    public static final int HEADER = 5, TRAILER = 4;
    public static final int MAX_INFO = 64 * 1024;
    public static final int MAX_REASON = 1024;
    public static final int MAX_RESUME = 10_000;
    /**
     * The id a {@link Frame.Keepalive} acknowledges (0 bytes, not complete). An ACK of 0 bytes moves nothing for any
     * bundle, this id's included, so reading one as a keepalive changes no transfer.
     */
    public static final String KEEPALIVE_ID = "keepalive";

    private final long maxBundleBytes;
    /**
     * Offsets the peer reports about bundles we sent (acks, resume state) are bounded by what we may send, not by
     * what we accept; the session checks them against each bundle's size.
     */
    static final long MAX_OWN_BUNDLE = 1L << 40;
    private final int maxFrame;

    public FrameCodec(long maxBundleBytes) {
        this.maxBundleBytes = maxBundleBytes;
        this.maxFrame = 128 * 1024 + (int) Math.min(maxBundleBytes, 4L * 1024 * 1024);
    }

    /** The largest body a frame may have. */
    public int maxFrame() { return maxFrame; }

    /** The largest segment payload a sender may put in one frame. */
    public int maxSegment() { return maxFrame - 1024; }

    // ---------------------------------------------------------------- encoding

    public byte[] encode(Frame f) {
        Out o = new Out();
        int type;
        switch (f) {
            case Frame.Hello h -> {
                type = HELLO;
                o.i32(h.version()); o.str(h.name()); o.str(h.info());
            }
            case Frame.State s -> {
                type = STATE;
                o.i64(s.queuedBundles()); o.i64(s.queuedBytes()); o.i32(s.resume().size());
                for (Frame.Held h : s.resume()) { o.str(h.id()); o.i64(h.bytes()); }
            }
            case Frame.BundleStart bs -> {
                type = BUNDLE;
                Bundle b = bs.bundle();
                o.str(b.id()); o.str(b.source()); o.str(b.destination()); o.str(b.kind()); o.i32(b.priority());
                o.i64(b.created().toEpochMilli()); o.i64(b.lifetime().toMillis()); o.i64(b.size()); o.str(b.checksum());
                o.i64(bs.offset());
            }
            case Frame.Segment s -> {
                type = SEGMENT;
                o.str(s.id()); o.i64(s.offset()); o.i32(s.data().length); o.write(s.data(), 0, s.data().length);
            }
            case Frame.Ack a -> {
                type = ACK;
                o.str(a.id()); o.i64(a.held()); o.write(a.complete() ? 1 : 0);
            }
            case Frame.Reject r -> {
                type = REJECT;
                o.str(r.id()); o.write(r.permanent() ? 1 : 0); o.str(r.reason());
            }
            case Frame.Keepalive k -> {
                type = ACK;
                o.str(KEEPALIVE_ID); o.i64(0); o.write(0);
            }
        }
        byte[] body = o.toByteArray();
        if (body.length > maxFrame) throw new LinkException("frame.length", body.length, "exceeds " + maxFrame);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + body.length + TRAILER);
        buf.put((byte) type).putInt(body.length).put(body);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, HEADER + body.length);
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    // ---------------------------------------------------------------- decoding

    /** Reads one frame; {@link EOFException} at a clean end of stream before a frame, LinkException when invalid. */
    public Frame read(InputStream in) throws IOException {
        DataInputStream d = in instanceof DataInputStream di ? di : new DataInputStream(in);
        int type = d.read();
        if (type < 0) throw new EOFException("end of stream");
        int len;
        try {
            len = d.readInt();
        } catch (EOFException e) {
            throw new LinkException("frame", "truncated", "ends inside its header");
        }
        if (type < HELLO || type > REJECT) throw new LinkException("frame.type", type, "is unknown");
        if (len < 0 || len > maxFrame) throw new LinkException("frame.length", Integer.toUnsignedLong(len), "is outside 0.." + maxFrame);
        byte[] body = new byte[len];
        int crcRead;
        try {
            d.readFully(body);
            crcRead = d.readInt();
        } catch (EOFException e) {
            throw new LinkException("frame", "truncated", "ends before its " + len + " bytes and checksum");
        }
        CRC32C crc = new CRC32C();
        crc.update(type);
        crc.update(ByteBuffer.allocate(4).putInt(len).array());
        crc.update(body);
        if ((int) crc.getValue() != crcRead)
            throw new LinkException("frame.crc", Integer.toHexString(crcRead), "does not match the frame (" + Long.toHexString(crc.getValue()) + ")");
        return decodeBody(type, body);
    }

    /** Decodes a whole encoded frame from bytes (tests, tools). */
    public Frame decode(byte[] frame) throws IOException {
        var in = new java.io.ByteArrayInputStream(frame);
        Frame f;
        try {
            f = read(in);
        } catch (EOFException e) {
            throw new LinkException("frame", "empty", "has no bytes");
        }
        if (in.available() > 0) throw new LinkException("frame", in.available(), "trailing bytes after the frame");
        return f;
    }

    private Frame decodeBody(int type, byte[] body) {
        In in = new In(body);
        Frame f = switch (type) {
            case HELLO -> {
                int v = in.i32("hello.version");
                if (v != VERSION) throw new LinkException("hello.version", v, "is not supported (this side speaks " + VERSION + ")");
                String name = Validate.name("hello.name", in.str("hello.name", 64));
                String info = in.str("hello.info", MAX_INFO);
                yield new Frame.Hello(v, name, info);
            }
            case STATE -> {
                long qb = nonNegative("state.queuedBundles", in.i64("state.queuedBundles"));
                long qy = nonNegative("state.queuedBytes", in.i64("state.queuedBytes"));
                int n = in.i32("state.resume");
                if (n < 0 || n > MAX_RESUME) throw new LinkException("state.resume", n, "count is outside 0.." + MAX_RESUME);
                List<Frame.Held> held = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String id = Validate.id("state.resume[" + i + "].id", in.str("state.resume[" + i + "].id", 128));
                    long b = in.i64("state.resume[" + i + "].bytes");
                    if (b < 0 || b > MAX_OWN_BUNDLE) throw new LinkException("state.resume[" + i + "].bytes", b, "is outside 0.." + MAX_OWN_BUNDLE);
                    held.add(new Frame.Held(id, b));
                }
                yield new Frame.State(qb, qy, List.copyOf(held));
            }
            case BUNDLE -> {
                String id = Validate.id("bundle.id", in.str("bundle.id", 128));
                String src = Validate.name("bundle.source", in.str("bundle.source", 64));
                String dst = Validate.name("bundle.destination", in.str("bundle.destination", 64));
                String kind = in.str("bundle.kind", 64);
                if (!Validate.KIND.matcher(kind).matches()) throw new LinkException("bundle.kind", kind, "is not a kind [a-z0-9.-]{1,64}");
                int prio = in.i32("bundle.priority");
                if (prio < 0 || prio > 100) throw new LinkException("bundle.priority", prio, "is outside 0..100");
                long created = in.i64("bundle.created");
                if (created < 0 || created > 253402300799999L) throw new LinkException("bundle.created", created, "is not a plausible instant");
                long life = in.i64("bundle.lifetime");
                if (life <= 0) throw new LinkException("bundle.lifetime", life, "must be positive");
                long size = in.i64("bundle.size");
                if (size < 0 || size > maxBundleBytes) throw new LinkException("bundle.size", size, "is outside 0.." + maxBundleBytes);
                String sum = in.str("bundle.checksum", 80);
                if (!Validate.CHECKSUM.matcher(sum).matches()) throw new LinkException("bundle.checksum", sum, "is not sha256:<64 hex>");
                long off = in.i64("bundle.offset");
                if (off < 0 || off > size) throw new LinkException("bundle.offset", off, "is outside 0.." + size);
                yield new Frame.BundleStart(new Bundle(id, src, dst, kind, prio, Instant.ofEpochMilli(created),
                        Duration.ofMillis(life), size, sum), off);
            }
            case SEGMENT -> {
                String id = Validate.id("segment.id", in.str("segment.id", 128));
                long off = in.i64("segment.offset");
                if (off < 0 || off > maxBundleBytes) throw new LinkException("segment.offset", off, "is outside 0.." + maxBundleBytes);
                int n = in.i32("segment.length");
                if (n < 0 || n != in.remaining()) throw new LinkException("segment.length", n, "does not match the frame (" + in.remaining() + " bytes left)");
                if (off + n > maxBundleBytes) throw new LinkException("segment.offset", off, "plus " + n + " exceeds " + maxBundleBytes);
                yield new Frame.Segment(id, off, in.bytes(n));
            }
            case ACK -> {
                String id = Validate.id("ack.id", in.str("ack.id", 128));
                long held = in.i64("ack.held");
                if (held < 0 || held > MAX_OWN_BUNDLE) throw new LinkException("ack.held", held, "is outside 0.." + MAX_OWN_BUNDLE);
                int c = in.u8("ack.complete");
                if (c > 1) throw new LinkException("ack.complete", c, "is not 0 or 1");
                yield held == 0 && c == 0 && id.equals(KEEPALIVE_ID) ? new Frame.Keepalive() : new Frame.Ack(id, held, c == 1);
            }
            case REJECT -> {
                String id = in.str("reject.id", 128);
                if (!id.isEmpty()) Validate.id("reject.id", id);
                int p = in.u8("reject.permanent");
                if (p > 1) throw new LinkException("reject.permanent", p, "is not 0 or 1");
                yield new Frame.Reject(id, p == 1, in.str("reject.reason", MAX_REASON));
            }
            default -> throw new LinkException("frame.type", type, "is unknown");
        };
        if (in.remaining() != 0) throw new LinkException("frame.length", body.length, "has " + in.remaining() + " bytes after its fields");
        return f;
    }

    private static long nonNegative(String field, long v) {
        if (v < 0) throw new LinkException(field, v, "is negative");
        return v;
    }

    private static final class Out extends ByteArrayOutputStream {
        void i32(int v) { write(v >>> 24); write(v >>> 16); write(v >>> 8); write(v); }

        void i64(long v) { i32((int) (v >>> 32)); i32((int) v); }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            write(b, 0, b.length);
        }
    }

    private static final class In {
        private final ByteBuffer buf;

        In(byte[] b) { buf = ByteBuffer.wrap(b); }

        int remaining() { return buf.remaining(); }

        private void need(String field, int n) {
            if (buf.remaining() < n) throw new LinkException(field, "truncated", "needs " + n + " bytes, " + buf.remaining() + " left");
        }

        int u8(String field) { need(field, 1); return buf.get() & 0xff; }

        int i32(String field) { need(field, 4); return buf.getInt(); }

        long i64(String field) { need(field, 8); return buf.getLong(); }

        byte[] bytes(int n) { byte[] b = new byte[n]; buf.get(b); return b; }

        String str(String field, int maxBytes) {
            int n = i32(field);
            if (n < 0 || n > maxBytes) throw new LinkException(field, n, "length is outside 0.." + maxBytes);
            need(field, n);
            byte[] b = bytes(n);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new LinkException(field, "<" + n + " bytes>", "is not UTF-8");
            }
        }
    }
}
