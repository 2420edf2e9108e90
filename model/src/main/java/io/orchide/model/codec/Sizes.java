package io.orchide.model.codec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size syntax of options and scenario files: a whole number of bytes, optionally with a decimal ({@code k},
 * {@code M}, {@code G}, {@code T}: powers of 1000) or binary ({@code Ki}, {@code Mi}, {@code Gi}, {@code Ti}: powers
 * of 1024) multiplier, e.g. {@code 4096}, {@code 512Mi}, {@code 2G}.
 */
public final class Sizes {
    /** What a valid size looks like, for error messages. */
    public static final String SYNTAX = "a size in bytes such as 4096, 64Mi, 2Gi or 500M";

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,15})(|k|K|M|G|T|Ki|Mi|Gi|Ti)");

    private Sizes() {
    }

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException if {@code text} is not in the syntax or does not fit in a long
     */
    public static long parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text.strip());
        if (m == null || !m.matches()) throw new IllegalArgumentException("must be " + SYNTAX);
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "" -> 1;
            case "k", "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            default -> 1L << 40;
        };
        try {
            return Math.multiplyExact(amount, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large: at most " + Long.MAX_VALUE + " bytes");
        }
    }
}
