package io.orchide.link;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A payload the link reads as a stream, so a large one (a scene, a product) never has to fit in memory: its
 * {@code size} and a way to {@code open} it, possibly more than once (the link hashes it, then stores it).
 */
public interface PayloadSource {
    long size();

    InputStream open() throws IOException;

    static PayloadSource of(byte[] bytes) {
        return new PayloadSource() {
            @Override
            public long size() { return bytes.length; }

            @Override
            public InputStream open() { return new ByteArrayInputStream(bytes); }
        };
    }

    /** A header in memory followed by a file's content. */
    static PayloadSource of(byte[] head, Path file) throws IOException {
        long fileSize = Files.size(file);
        return new PayloadSource() {
            @Override
            public long size() { return head.length + fileSize; }

            @Override
            public InputStream open() throws IOException {
                return new java.io.SequenceInputStream(new ByteArrayInputStream(head), Files.newInputStream(file));
            }
        };
    }
}
