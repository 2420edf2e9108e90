package io.orchide.node.pipeline.trigger;

import java.nio.file.Path;

/** Which names never fire: hidden ones (leading '.') and temporaries ({@code .tmp}, {@code .part}, {@code ~}). */
final class FileNames {
    private FileNames() {
    }

    static boolean candidate(Path name) {
        String s = name.getFileName().toString();
        return !s.startsWith(".") && !s.endsWith(".tmp") && !s.endsWith(".part") && !s.endsWith("~");
    }
}
