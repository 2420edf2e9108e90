package io.orchide.ground.audit;

/**
 * What {@link AuditLog#verify()} found: how many entries it checked, from which anchor (the last entry retention
 * pruned, 0 when none was) to which head (the last entry appended, as the head row records it), and the first broken
 * link, or null when the chain is intact.
 */
public record Verification(long checked, long anchorSeq, String anchorHash, long headSeq, String headHash, Break broken) {
    /** What is wrong with the chain. */
    public enum Kind {
        /** An entry that should be there (after the anchor, up to the head) is not: it was deleted. */
        MISSING,
        /** An entry no longer matches its hash, or its hash no longer matches what the next entry (or the head) was chained to. */
        ALTERED,
        /** An entry that the chain does not account for: before the anchor, or past the head. */
        INSERTED
    }

    /** The first broken link: its kind, the sequence number of the entry at fault, and what was seen. */
    public record Break(Kind kind, long seq, String message) {
    }

    public boolean intact() { return broken == null; }
}
