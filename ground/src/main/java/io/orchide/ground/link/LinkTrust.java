package io.orchide.ground.link;

import io.orchide.ground.audit.AuditEntry;
import io.orchide.ground.audit.AuditWriter;
import io.orchide.ground.audit.Outcome;
import io.orchide.ground.fleet.NodeKeys;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.link.PeerTrust;
import io.orchide.link.secure.KeyFiles;

import java.security.PublicKey;

/**
 * Ground's judgement of a peer on the link: it must prove (by the TLS handshake) an active key registered for the
 * satellite it names in its HELLO. Each accepted contact goes to the audit log (allowed, the key's fingerprint as the
 * actor); a refusal, and a handshake that failed (a key the peer would not accept, a peer not
 * speaking TLS), goes to the audit log: the claimed satellite as the resource, the key's fingerprint as the actor, the
 * source address and the reason.
 */
public final class LinkTrust implements PeerTrust {
    private static final System.Logger LOG = System.getLogger("io.orchide.ground.link");
    /** The audit log's actor for a peer that proved no key. */
    static final String NO_KEY = "anonymous";

    private final NodeKeys keys;
    /** Null on a ground with access checks bypassed (tests, benchmarks): refusals are logged only. */
    private final AuditWriter audit;

    public LinkTrust(NodeKeys keys, AuditWriter audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public String check(String peer, String remote, PublicKey key) {
        String refusal = SatelliteNames.valid(peer) ? keys.refusal(peer, key)
                : "peer name '" + peer + "' " + SatelliteNames.problem(peer);
        if (refusal != null) record(key == null ? NO_KEY : KeyFiles.fingerprint(key), "satellites/" + peer + "/link", remote, refusal);
        else record(KeyFiles.fingerprint(key), "satellites/" + peer + "/link", remote, null);
        return refusal;
    }

    @Override
    public void handshakeFailed(String remote, String reason) {
        record(NO_KEY, "link", remote, "TLS handshake failed: " + reason);
    }

    /** A refusal ({@code reason} given) or an accepted contact ({@code reason} null), by the key that proved itself. */
    private void record(String actor, String resource, String remote, String reason) {
        if (audit == null) return;
        try {
            if (reason == null) {
                audit.record(new AuditEntry(actor, null, "connect", resource, Outcome.ALLOWED, source(remote),
                        "contact accepted: an active key of the satellite"), AuditWriter.Kind.CHANGE);
                return;
            }
            audit.record(new AuditEntry(actor, null, "connect", resource, Outcome.DENIED, source(remote), reason),
                    AuditWriter.Kind.DENIAL);
        } catch (RuntimeException e) {
            // the refusal stands whether or not its record could be written
            LOG.log(System.Logger.Level.WARNING, "link refusal from " + remote + " not audited: " + e);
        }
    }

    /** {@code /10.0.0.5:41234} as the channel gives it, without the slash. */
    private static String source(String remote) {
        return remote != null && remote.startsWith("/") ? remote.substring(1) : remote;
    }
}
