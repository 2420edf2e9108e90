package io.orchide.twin.run;

import java.time.Instant;

/**
 * A scene a satellite's camera captured: where it went, when, over which target, its size and digest, and when it
 * landed in the node's dataset ({@code written}: the capture time, later when the camera had to hold it while the
 * node's storage was full, null while it still holds it).
 */
public record CapturedScene(String satellite, String name, Instant time, String target, long bytes, String sha256,
                            boolean corrupt, Instant written) {
    /** This scene, landed in the dataset at {@code at}. */
    CapturedScene writtenAt(Instant at) {
        return new CapturedScene(satellite, name, time, target, bytes, sha256, corrupt, at);
    }

    /** Whether the camera still holds it. */
    public boolean held() {
        return written == null;
    }
}
