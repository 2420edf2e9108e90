package io.orchide.model.codec;

import io.orchide.model.Manifest;
import io.orchide.model.Arch;

/**
 * Reads the body of one manifest kind from a document whose {@code apiVersion} and {@code kind} were checked.
 * Reports problems to the cursor's errors; the value returned is only used when no error was reported.
 */
public interface KindReader<T extends Manifest> {
    /** The {@code kind} this reader handles, e.g. {@code App}. */
    String kind();

    /** The top-level fields this kind allows (apiVersion and kind included). */
    java.util.List<String> topLevelFields();

    T read(Cursor root, Arch nodeArch);
}
