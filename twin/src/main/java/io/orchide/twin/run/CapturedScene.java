package io.orchide.twin.run;

import java.time.Instant;

/** A scene a satellite's camera captured: where it went, when, over which target, its size and digest. */
public record CapturedScene(String satellite, String name, Instant time, String target, long bytes, String sha256,
                            boolean corrupt) {
}
