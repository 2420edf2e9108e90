package io.orchide.node.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FeedCameraTest {
    static final Position HERE = new Position(Instant.parse("2026-12-01T00:12:00Z"), 48, 2, 500_000);

    @Test
    void aCaptureTakesTheNewestWholeFrameOfTheFeedUnderItsName(@TempDir Path feed) throws Exception {
        frame(feed, "scene-sat-1-20261201T000800Z.pgm", "old", "2026-12-01T00:08:00Z");
        frame(feed, "scene-sat-1-20261201T001000Z.pgm", "new", "2026-12-01T00:10:00Z");
        frame(feed, ".scene-sat-1-20261201T001200Z.pgm.part", "half", "2026-12-01T00:12:00Z");
        Files.createDirectory(feed.resolve("zz-not-a-frame"));

        Frame f = new FeedCamera("camera-1", feed).capture(HERE);

        assertThat(f.name()).isEqualTo("scene-sat-1-20261201T001000Z.pgm");
        assertThat(f.content()).isEqualTo("new".getBytes());
        assertThat(f.position()).isEqualTo(HERE);
        assertThat(f.time()).isEqualTo(HERE.time());
    }

    @Test
    void anEmptyOrMissingFeedIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path feed = Files.createDirectory(dir.resolve("feed"));
        assertThat(catchThrowableOfType(DeviceInputException.class, () -> new FeedCamera("camera-1", feed).capture(HERE)))
                .hasMessageContaining("holds no frame yet").extracting(DeviceInputException::field).isEqualTo("feed");
        Path gone = dir.resolve("gone");
        assertThat(catchThrowableOfType(DeviceInputException.class, () -> new FeedCamera("camera-1", gone).capture(HERE)))
                .hasMessageContaining("does not exist");
    }

    private static void frame(Path dir, String name, String content, String time) throws Exception {
        Path p = Files.writeString(dir.resolve(name), content);
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse(time)));
    }
}
