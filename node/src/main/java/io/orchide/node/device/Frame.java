package io.orchide.node.device;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One capture of a {@link Camera}: when and where it was taken, the file name it goes by in a dataset (for example
 * {@code scene-sat-1-20261201T001200Z.pgm}) and its bytes. The content is copied in and out, so a frame never changes;
 * equality compares the content.
 *
 * @throws DeviceInputException naming the field when time, position, name or content is missing or the name is blank
 */
public record Frame(Instant time, Position position, String name, byte[] content) {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern CAMERA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public Frame {
        if (time == null) throw new DeviceInputException("time", null, "is missing");
        if (position == null) throw new DeviceInputException("position", null, "is missing");
        if (name == null || name.isBlank()) throw new DeviceInputException("name", name, "must not be blank");
        if (content == null) throw new DeviceInputException("content", null, "is missing");
        content = content.clone();
    }

    /**
     * The canonical file name of a frame {@code camera} takes at {@code time}:
     * {@code scene-<camera>-<yyyyMMdd'T'HHmmss'Z'>.pgm} in UTC, to the second.
     *
     * @throws DeviceInputException when the camera name is not letters, digits, '.', '_' or '-' starting with a letter
     *     or digit, or the time is missing
     */
    public static String canonicalName(String camera, Instant time) {
        if (camera == null || !CAMERA.matcher(camera).matches()) {
            throw new DeviceInputException("camera", camera,
                    "must be letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (time == null) throw new DeviceInputException("time", null, "is missing");
        return "scene-" + camera + "-" + STAMP.format(time) + ".pgm";
    }

    /** A copy of the frame's bytes. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The number of bytes of the frame. */
    public int size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && time.equals(f.time) && position.equals(f.position) && name.equals(f.name)
                && Arrays.equals(content, f.content);
    }

    @Override
    public int hashCode() {
        return ((time.hashCode() * 31 + position.hashCode()) * 31 + name.hashCode()) * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "Frame[time=" + time + ", position=" + position + ", name=" + name + ", " + content.length + " bytes]";
    }
}
