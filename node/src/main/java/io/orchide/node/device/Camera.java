package io.orchide.node.device;

/** An imaging device: takes one frame when asked, at the position it is given. */
public interface Camera {

    /** The camera's name, as it appears in the names of its frames ({@code scene-<name>-...}). */
    String name();

    /** Takes a frame at {@code where} (its time is the capture time). */
    Frame capture(Position where);
}
