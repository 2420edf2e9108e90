package io.orchide.runtime.inspect;

import java.util.Optional;

/**
 * The Solo5 binding an image was linked against, from its ABI1 note (owner "Solo5", type "ABI1",
 * section {@code .note.solo5.abi}): each binding runs only under its own tender or platform.
 */
public enum Solo5Target {
    HVT(1, "solo5-hvt"), SPT(2, "solo5-spt"), VIRTIO(3, "qemu (virtio)"), MUEN(4, "Muen"), GENODE(5, "Genode"),
    XEN(6, "Xen");

    /** Note type "ABI1" read as a little-endian word. */
    public static final int NOTE_TYPE = 0x31494241;
    public static final String NOTE_NAME = "Solo5";

    private final int code;
    private final String runsOn;

    Solo5Target(int code, String runsOn) {
        this.code = code;
        this.runsOn = runsOn;
    }

    /** Where an image of this target runs, for messages. */
    public String runsOn() { return runsOn; }

    public static Optional<Solo5Target> of(int code) {
        for (Solo5Target t : values()) if (t.code == code) return Optional.of(t);
        return Optional.empty();
    }
}
