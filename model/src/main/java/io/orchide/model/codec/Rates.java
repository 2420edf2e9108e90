package io.orchide.model.codec;

/** Link rates in bits per second, written as {@code 9600}, {@code 512k}, {@code 2M} or {@code 1.5G} (decimal units). */
public final class Rates {
    public static final String SYNTAX = "a rate in bits per second such as 2M, 512k or 9600";

    private Rates() {
    }

    /**
     * The rate {@code text} denotes, at least 8 bits per second.
     *
     * @throws IllegalArgumentException naming the text when it is not a positive rate up to 1 Tbit/s
     */
    public static long parse(String text) {
        String s = text == null ? "" : text.trim();
        long mult = 1;
        if (!s.isEmpty()) {
            switch (Character.toLowerCase(s.charAt(s.length() - 1))) {
                case 'k' -> mult = 1_000L;
                case 'm' -> mult = 1_000_000L;
                case 'g' -> mult = 1_000_000_000L;
                default -> mult = 1;
            }
            if (mult > 1) s = s.substring(0, s.length() - 1);
        }
        try {
            double n = Double.parseDouble(s);
            if (n > 0 && n * mult <= 1e12) return Math.max(8, Math.round(n * mult));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected " + SYNTAX + " (got " + text + ")");
    }
}
