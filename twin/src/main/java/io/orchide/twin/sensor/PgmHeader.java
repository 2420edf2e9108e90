package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of a binary PGM image (P5) as the cloudcover unikernel reads it: magic {@code P5}, width, height and
 * maxval (1..255) separated by whitespace or {@code #} comments, exactly one whitespace byte after maxval, then
 * {@code width * height} pixel bytes from {@link #dataOffset()}.
 *
 * @param comments the comment lines, without the {@code #} and the spaces after it
 */
public record PgmHeader(int width, int height, int maxval, List<String> comments, int dataOffset) {

    public PgmHeader {
        comments = List.copyOf(comments);
    }

    /** The number of pixel bytes the header announces. */
    public long pixelBytes() {
        return (long) width * height;
    }

    /** Whether {@code file} holds all the pixel bytes this header announces. */
    public boolean isComplete(byte[] file) {
        return file.length - (long) dataOffset >= pixelBytes();
    }

    /**
     * The value of {@code key} in a comment of words {@code key=value} (as the scene generator writes them), or null.
     */
    public String comment(String key) {
        String prefix = key + "=";
        for (String c : comments) {
            for (String word : c.split(" ")) {
                if (word.startsWith(prefix)) return word.substring(prefix.length());
            }
        }
        return null;
    }

    /**
     * Reads the header at the start of {@code file}; the pixel bytes are not looked at.
     *
     * @throws DeviceInputException naming the problem ({@code magic}, {@code width}, {@code height}, {@code maxval})
     */
    public static PgmHeader parse(byte[] file) {
        if (file.length < 2 || file[0] != 'P' || file[1] != '5') {
            String start = new String(file, 0, Math.min(2, file.length), StandardCharsets.ISO_8859_1);
            throw new DeviceInputException("magic", start, "a binary PGM starts with P5");
        }
        List<String> comments = new ArrayList<>();
        int[] pos = {2};
        int width = number(file, pos, comments, "width", false);
        int height = number(file, pos, comments, "height", false);
        int maxval = number(file, pos, comments, "maxval", true);
        if (width == 0) throw new DeviceInputException("width", 0, "must be positive");
        if (height == 0) throw new DeviceInputException("height", 0, "must be positive");
        if (maxval < 1 || maxval > 255) throw new DeviceInputException("maxval", maxval, "must be within [1, 255]");
        return new PgmHeader(width, height, maxval, comments, pos[0]);
    }

    private static int number(byte[] f, int[] pos, List<String> comments, String field, boolean last) {
        int p = pos[0];
        while (p < f.length && (space(f[p]) || f[p] == '#')) {
            if (f[p] == '#') {
                int start = ++p;
                while (p < f.length && f[p] != '\n' && f[p] != '\r') p++;
                comments.add(new String(f, start, p - start, StandardCharsets.ISO_8859_1).strip());
            } else {
                p++;
            }
        }
        long v = 0;
        int digits = 0;
        while (p < f.length && f[p] >= '0' && f[p] <= '9') {
            v = v * 10 + (f[p++] - '0');
            if (v > 1_000_000) throw new DeviceInputException(field, v + "...", "must be at most 1000000");
            digits++;
        }
        if (digits == 0) {
            throw new DeviceInputException(field, p < f.length ? (char) f[p] : "end of file", "is not a number");
        }
        boolean ends = p < f.length && (last ? space(f[p]) : space(f[p]) || f[p] == '#');
        if (!ends) {
            throw new DeviceInputException(field, v, last ? "must be followed by one whitespace byte"
                    : "must be followed by whitespace or a comment");
        }
        pos[0] = last ? p + 1 : p;
        return (int) v;
    }

    private static boolean space(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == '\f';
    }
}
