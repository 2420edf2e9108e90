package io.orchide.twin.sensor;

import io.orchide.node.device.Camera;
import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Frame;
import io.orchide.node.device.Position;
import java.time.Instant;
import java.util.Arrays;

/**
 * A simulated camera: each capture is the {@link SceneGenerator} scene for this camera's name and seed at the
 * position's time, named {@link Frame#canonicalName canonically}. Two captures in the same second are the same
 * frame, so a retried capture writes nothing new. {@link #truncated} makes the corrupt capture of a transfer cut off,
 * for fault injection. Immutable and thread-safe.
 *
 * @throws DeviceInputException naming the field when the name cannot appear in a file name or a size is out of range
 */
public record SyntheticCamera(String name, long seed, int width, int height) implements Camera {
    private static final SceneGenerator SCENES = new SceneGenerator();

    public SyntheticCamera {
        Frame.canonicalName(name, Instant.EPOCH);
        side("width", width);
        side("height", height);
    }

    @Override
    public Frame capture(Position where) {
        if (where == null) throw new DeviceInputException("where", null, "is missing");
        byte[] content = SCENES.scene(seed, name, where, width, height);
        return new Frame(where.time(), where, Frame.canonicalName(name, where.time()), content);
    }

    /**
     * {@code frame} as a camera whose transfer was cut off leaves it: the PGM header intact and only the first half of
     * the pixel bytes (none of a one-pixel image); same time, position and name. The cloudcover unikernel rejects it
     * as not a valid binary PGM (exit 2).
     *
     * @throws DeviceInputException when the frame is not a binary PGM
     */
    public static Frame truncated(Frame frame) {
        byte[] content = frame.content();
        PgmHeader header = PgmHeader.parse(content);
        long keep = Math.min(content.length, header.dataOffset() + header.pixelBytes() / 2);
        return new Frame(frame.time(), frame.position(), frame.name(), Arrays.copyOf(content, (int) keep));
    }

    private static void side(String field, int side) {
        if (side < 1 || side > SceneGenerator.MAX_SIDE) {
            throw new DeviceInputException(field, side, "must be within [1, " + SceneGenerator.MAX_SIDE + "]");
        }
    }
}
