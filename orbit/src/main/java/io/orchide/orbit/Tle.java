package io.orchide.orbit;

import java.util.Objects;

/**
 * A two-line element set. Validated on construction: both lines are 69 characters, start with
 * {@code "1 "} / {@code "2 "}, carry the same catalogue number and a correct modulo-10 checksum
 * (digits count their value, {@code '-'} counts 1) in column 69.
 *
 * @throws OrbitInputException naming the field ({@code name}, {@code line1}, {@code line1.length},
 *     {@code line1.checksum}, {@code line2.satelliteNumber}, ...) and the value
 */
public record Tle(String name, String line1, String line2) {

    public static final int LINE_LENGTH = 69;

    public Tle {
        if (name == null || name.isBlank()) {
            throw new OrbitInputException("name", name, "must not be blank");
        }
        name = name.strip();
        line1 = checkLine("line1", line1, '1');
        line2 = checkLine("line2", line2, '2');
        String n1 = line1.substring(2, 7);
        String n2 = line2.substring(2, 7);
        if (!n1.equals(n2)) {
            throw new OrbitInputException("line2.satelliteNumber", n2, "differs from line1's " + n1);
        }
    }

    /** Parses the three-line form (name line, then the two element lines). */
    public static Tle parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] lines = text.strip().split("\\R");
        if (lines.length != 3) {
            throw new OrbitInputException("tle", lines.length + " lines", "expected 3 lines: name, line 1, line 2");
        }
        return new Tle(lines[0], lines[1], lines[2]);
    }

    /** Parses the three-line form, or the two element lines alone, named {@code name} then. */
    public static Tle parse(String text, String name) {
        Objects.requireNonNull(text, "text");
        String[] lines = text.strip().split("\\R");
        if (lines.length == 2) {
            return new Tle(name, lines[0], lines[1]);
        }
        if (lines.length != 3) {
            throw new OrbitInputException("tle", lines.length + " lines",
                    "expected 2 element lines, or 3 lines: name, line 1, line 2");
        }
        return new Tle(lines[0], lines[1], lines[2]);
    }

    /** The modulo-10 checksum of the first 68 characters of a TLE line. */
    public static int checksum(String line) {
        int sum = 0;
        for (int i = 0; i < LINE_LENGTH - 1 && i < line.length(); i++) {
            char c = line.charAt(i);
            if (c >= '0' && c <= '9') {
                sum += c - '0';
            } else if (c == '-') {
                sum += 1;
            }
        }
        return sum % 10;
    }

    private static String checkLine(String field, String line, char number) {
        if (line == null) {
            throw new OrbitInputException(field, null, "is missing");
        }
        String l = line.stripTrailing();
        if (l.length() != LINE_LENGTH) {
            throw new OrbitInputException(field + ".length", l.length(), "must be " + LINE_LENGTH + " characters");
        }
        if (l.charAt(0) != number || l.charAt(1) != ' ') {
            throw new OrbitInputException(field + ".lineNumber", l.substring(0, 2).strip(), "must start with '" + number + " '");
        }
        char last = l.charAt(LINE_LENGTH - 1);
        if (last < '0' || last > '9') {
            throw new OrbitInputException(field + ".checksum", last, "must be a digit");
        }
        int expected = checksum(l);
        if (last - '0' != expected) {
            throw new OrbitInputException(field + ".checksum", last, "does not match the computed checksum " + expected);
        }
        return l;
    }
}
