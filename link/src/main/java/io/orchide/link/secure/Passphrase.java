package io.orchide.link.secure;

import java.util.Arrays;

/** A passphrase that encrypts a private key at rest; its {@link #toString()} never shows it. */
public record Passphrase(char[] chars) {
    public Passphrase {
        if (chars == null || chars.length == 0) throw new IllegalArgumentException("passphrase: must not be empty");
        chars = chars.clone();
    }

    /** The passphrase of {@code text} with one trailing line end removed (as a file written by echo holds it). */
    public static Passphrase of(String text) {
        String s = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return new Passphrase(s.toCharArray());
    }

    @Override public char[] chars() { return chars.clone(); }

    @Override public boolean equals(Object o) { return o instanceof Passphrase p && Arrays.equals(chars, p.chars); }

    @Override public int hashCode() { return Arrays.hashCode(chars); }

    @Override public String toString() { return "Passphrase[***]"; }
}
