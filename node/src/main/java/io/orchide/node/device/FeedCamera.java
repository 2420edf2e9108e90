package io.orchide.node.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * A camera whose frames another process writes as files into a directory (a camera daemon, the digital twin's scene
 * generator): a capture takes the newest frame there, by modification time and then by name, under that file's name.
 * Hidden files ({@code .name.part}, a frame being written) and anything but regular files are ignored, so a capture
 * never takes half a frame from a writer that writes to a hidden name and renames. A frame larger than
 * {@link #MAX_FRAME_BYTES} is refused rather than read.
 */
public record FeedCamera(String name, Path directory) implements Camera {
    /** The largest frame a capture reads. */
    public static final long MAX_FRAME_BYTES = 256L << 20;

    public FeedCamera {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
    }

    /**
     * The newest frame of the feed, at {@code where} (where the satellite is at the capture).
     *
     * @throws DeviceInputException naming the feed when it holds no frame or its newest is too large
     * @throws UncheckedIOException when the directory cannot be read
     */
    @Override
    public Frame capture(Position where) {
        if (where == null) throw new DeviceInputException("where", null, "is missing");
        try {
            Path newest = null;
            FileTime newestTime = null;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    if (n.startsWith(".")) continue;
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (!a.isRegularFile()) continue;
                    int c = newest == null ? 1 : a.lastModifiedTime().compareTo(newestTime);
                    if (c > 0 || (c == 0 && n.compareTo(newest.getFileName().toString()) > 0)) {
                        newest = f;
                        newestTime = a.lastModifiedTime();
                    }
                }
            } catch (NoSuchFileException e) {
                throw new DeviceInputException("feed", directory, "of camera " + name + " does not exist");
            }
            if (newest == null) throw new DeviceInputException("feed", directory, "of camera " + name + " holds no frame yet");
            long size = Files.size(newest);
            if (size > MAX_FRAME_BYTES) {
                throw new DeviceInputException("feed", newest, "is a frame of " + size + " bytes, more than " + MAX_FRAME_BYTES);
            }
            return new Frame(where.time(), where, newest.getFileName().toString(), Files.readAllBytes(newest));
        } catch (NoSuchFileException e) {
            throw new DeviceInputException("feed", directory, "lost its newest frame while it was read; capture again");
        } catch (IOException e) {
            throw new UncheckedIOException("camera " + name + ": cannot read its feed " + directory, e);
        }
    }
}
