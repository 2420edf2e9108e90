package io.orchide.node.pipeline.run;

import java.nio.file.Path;

/**
 * Why a run exists: its trigger {@code kind}, a human {@code detail} (the file, the due time, the event) and the
 * file it processes ({@code file}, null for runs with no triggering file).
 */
public record RunOrigin(TriggerKind kind, String detail, Path file) {
    public static RunOrigin manual(Path file) {
        return new RunOrigin(TriggerKind.MANUAL, file == null ? null : file.toString(), file);
    }
}
