package io.orchide.ground.audit;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a request or decision ended: allowed (and done), denied by authorization, or failed (allowed, then an error). */
public enum Outcome {
    ALLOWED, DENIED, FAILED;

    /** The word in the API, the CLI and the stored entry. */
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The outcome {@code word} names. @throws IllegalArgumentException naming the word and the known ones */
    public static Outcome parse(String word) {
        for (Outcome o : values()) if (o.wire().equals(word)) return o;
        throw new IllegalArgumentException("unknown outcome " + word + " (known: " + known() + ")");
    }

    /** The words, comma-separated, for error messages. */
    public static String known() {
        return Arrays.stream(values()).map(Outcome::wire).collect(Collectors.joining(", "));
    }
}
