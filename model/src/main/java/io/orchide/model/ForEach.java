package io.orchide.model;

/** Fans a step out: one instance per file of {@code items}, at most {@code parallelism} at once. */
public record ForEach(DataRef items, int parallelism) {
    public static final int DEFAULT_PARALLELISM = 1;
    public static final int MAX_PARALLELISM = 256;
}
