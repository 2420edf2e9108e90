package io.orchide.twin.run;

import io.orchide.node.device.DatasetWriter;
import io.orchide.node.device.Frame;
import io.orchide.orbit.Tle;
import io.orchide.twin.scenario.NodeSpec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a twin satellite's integrator gives its node, kept in a directory beside the node's data directory: the
 * satellite's TLE ({@code satellite.tle}, the node's position source, so that grants over a region or in sunlight
 * hold as in orbit), the devices file ({@code devices.yaml}: discovery off, camera {@link #CAMERA} with its feed) and
 * the camera's feed directory ({@code feed/}), where the twin places each scene as its satellite passes over a target
 * and a granted capture through the node's broker takes the newest. The feed keeps the newest {@link #FEED_FRAMES}
 * frames; each is written whole under a hidden name and renamed over any frame of that name (a feed is what the camera
 * sees now, not a record), with its simulated time as modification time.
 */
final class SatelliteHardware {
    /** The camera's name on the twin's nodes: what grants name. */
    static final String CAMERA = "camera-1";
    /** How many frames the feed keeps: a capture takes only the newest. */
    static final int FEED_FRAMES = 8;

    private final Path dir;
    private final Path feed;

    private SatelliteHardware(Path dir) {
        this.dir = dir;
        this.feed = dir.resolve("feed").toAbsolutePath();
    }

    /** Writes the TLE, the devices file and the feed directory of a satellite with {@code tle} into {@code dir}. */
    static SatelliteHardware create(Path dir, Tle tle) throws IOException {
        return create(dir, tle, List.of());
    }

    /** As {@link #create(Path, Tle)}, the devices file also declaring the node's simulated {@code accelerators}. */
    static SatelliteHardware create(Path dir, Tle tle, List<NodeSpec.Accelerator> accelerators) throws IOException {
        Objects.requireNonNull(tle, "tle");
        Files.createDirectories(dir.resolve("feed"));
        Files.writeString(dir.resolve("satellite.tle"), tle.name() + "\n" + tle.line1() + "\n" + tle.line2() + "\n");
        Files.writeString(dir.resolve("devices.yaml"), """
                # written by the twin: its camera's frames appear in the feed; its position is its TLE
                discover: false
                position: {tle: satellite.tle}
                devices:
                  - {name: %s, class: camera, feed: "%s"}
                """.formatted(CAMERA, dir.resolve("feed").toAbsolutePath())
                + accelerators.stream().map(a -> "  - {name: %s, class: %s}\n".formatted(a.name(), a.deviceClass()))
                        .collect(java.util.stream.Collectors.joining()));
        return new SatelliteHardware(dir);
    }

    /** The options that give the node this hardware. */
    List<String> nodeArgs() {
        return List.of("--devices", devicesFile().toString());
    }

    Path devicesFile() {
        return dir.resolve("devices.yaml").toAbsolutePath();
    }

    Path feed() {
        return feed;
    }

    /** Places {@code frame} in the feed and lets the oldest frames beyond {@link #FEED_FRAMES} go. */
    void place(Frame frame) throws IOException {
        DatasetWriter.checkName(frame.name());
        Path temp = feed.resolve(DatasetWriter.TEMP_PREFIX + frame.name() + DatasetWriter.TEMP_SUFFIX);
        Files.write(temp, frame.content());
        Files.setLastModifiedTime(temp, FileTime.from(frame.time()));
        Files.move(temp, feed.resolve(frame.name()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        List<Path> frames = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(feed, f -> !f.getFileName().toString().startsWith("."))) {
            s.forEach(frames::add);
        }
        frames.sort(Comparator.comparing((Path p) -> {
            try {
                return Files.getLastModifiedTime(p);
            } catch (IOException e) {
                return FileTime.fromMillis(0); // gone meanwhile: first to go
            }
        }).thenComparing(p -> p.getFileName().toString()));
        for (int i = 0; i < frames.size() - FEED_FRAMES; i++) Files.deleteIfExists(frames.get(i));
    }
}
