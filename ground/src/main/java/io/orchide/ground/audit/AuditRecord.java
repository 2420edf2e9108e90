package io.orchide.ground.audit;

import java.time.Instant;

/**
 * An entry as the log holds it: its place in the chain ({@code seq}, from 1, without gaps), when it was appended
 * (the appending replica's clock, at millisecond precision), the entry, the hash of the entry before it
 * ({@code prevHash}: the anchor's for the first one kept) and its own {@code hash}, both SHA-256 in lower-case hex.
 */
public record AuditRecord(long seq, Instant time, AuditEntry entry, String prevHash, String hash) {
}
