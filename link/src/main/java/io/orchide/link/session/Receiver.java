package io.orchide.link.session;

import io.orchide.link.Bundle;
import io.orchide.link.LinkException;
import io.orchide.link.store.LinkStore;
import io.orchide.link.wire.Frame;

import java.util.HashMap;
import java.util.Map;

import static io.orchide.link.session.Core.LOG;

/**
 * The receiving side of a {@link Session}: takes custody of each incoming bundle's segments in order (stored before
 * acknowledged), verifies the whole bundle's checksum, and answers with ACKs and REJECTs through the session's
 * writer. Reader thread only.
 */
final class Receiver {
    private final Session session;
    private final Core core;

    private static final class In {
        final Bundle bundle;
        long held;
        boolean ignore;

        In(Bundle b, long held) { this.bundle = b; this.held = held; }
    }

    private final Map<String, In> incoming = new HashMap<>();

    Receiver(Session session) {
        this.session = session;
        this.core = session.core;
    }

    private void reject(Bundle b, boolean permanent, String reason) {
        LOG.log(System.Logger.Level.INFO, "link: rejecting bundle {0} from {1}: {2}", b.id(), session.peer, reason);
        Core.safe(() -> core.events.rejected(session.peer, b.id(), reason));
        session.writeControl(new Frame.Reject(b.id(), permanent, reason));
        In ignore = new In(b, 0);
        ignore.ignore = true;
        incoming.put(b.id(), ignore);
    }

    void onBundle(Frame.BundleStart bs) {
        Bundle b = bs.bundle();
        if (!b.source().equals(session.peer)) {
            reject(b, true, "source '" + b.source() + "' is not the session's peer '" + session.peer + "'");
            return;
        }
        if (!b.destination().equals(core.cfg.localName())) {
            reject(b, true, "destination '" + b.destination() + "' is not this endpoint '" + core.cfg.localName() + "'");
            return;
        }
        if (core.store.seen(b.id())) {
            ackComplete(b);
            return;
        }
        LinkStore.InRow row = core.store.incoming(b.id());
        if (row != null && !sameHeader(row.bundle(), b)) {
            reject(b, true, "id '" + b.id() + "' was already received with another header");
            return;
        }
        if (row != null && row.complete()) {
            ackComplete(b);
            return;
        }
        if (b.expiredAt(core.now())) {
            if (row != null) core.store.dropIn(b.id());
            reject(b, true, "expired");
            return;
        }
        long held = row == null ? 0 : row.held();
        if (bs.offset() > held)
            throw new LinkException("bundle.offset", bs.offset(), "is beyond the " + held + " bytes held of " + b.id());
        In st = new In(b, held);
        incoming.put(b.id(), st);
        if (held == b.size()) {
            if (row == null) core.store.append(b, 0, new byte[0]);
            finishIncoming(st);
        }
    }

    private static boolean sameHeader(Bundle a, Bundle b) {
        return a.source().equals(b.source()) && a.destination().equals(b.destination()) && a.kind().equals(b.kind())
                && a.priority() == b.priority() && a.created().equals(b.created()) && a.lifetime().equals(b.lifetime())
                && a.size() == b.size() && a.checksum().equals(b.checksum());
    }

    private void ackComplete(Bundle b) {
        In st = new In(b, b.size());
        st.ignore = true;
        incoming.put(b.id(), st);
        session.writeControl(new Frame.Ack(b.id(), b.size(), true));
    }

    void onSegment(Frame.Segment s) {
        In st = incoming.get(s.id());
        if (st == null) throw new LinkException("segment.id", s.id(), "has no bundle header in this session");
        if (st.ignore) return;
        long end = s.offset() + s.data().length;
        if (end > st.bundle.size()) throw new LinkException("segment.offset", s.offset(), "plus " + s.data().length + " exceeds the bundle's size " + st.bundle.size());
        if (end <= st.held) return;                       // replayed bytes we already hold
        if (s.offset() > st.held) throw new LinkException("segment.offset", s.offset(), "leaves a gap after the " + st.held + " bytes held");
        byte[] data = s.data();
        if (s.offset() < st.held) data = java.util.Arrays.copyOfRange(data, (int) (st.held - s.offset()), data.length);
        st.held = core.store.append(st.bundle, st.held, data);   // custody before the ack
        if (st.held == st.bundle.size()) finishIncoming(st);
        else session.writeControl(new Frame.Ack(st.bundle.id(), st.held, false));
    }

    private void finishIncoming(In st) {
        Bundle b = st.bundle;
        String sum = core.store.checksumIn(b.id());
        if (!sum.equals(b.checksum())) {
            core.store.dropIn(b.id());
            incoming.remove(b.id());
            String reason = "checksum " + sum + " does not match " + b.checksum();
            LOG.log(System.Logger.Level.WARNING, "link: bundle {0} from {1}: {2}; asking for it again", b.id(), session.peer, reason);
            Core.safe(() -> core.events.rejected(session.peer, b.id(), reason));
            session.writeControl(new Frame.Reject(b.id(), false, reason));
            return;
        }
        core.store.complete(b.id(), core.doneSeq.incrementAndGet());
        if (session.counters() != null) session.counters().bundlesReceived.incrementAndGet();
        st.ignore = true;
        session.writeControl(new Frame.Ack(b.id(), b.size(), true));
        core.delivery.signal();
    }
}
