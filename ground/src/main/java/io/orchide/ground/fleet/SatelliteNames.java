package io.orchide.ground.fleet;

import java.util.regex.Pattern;

/** Satellite (and node) names: a DNS-1123 label, {@code [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?}. */
public final class SatelliteNames {
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private SatelliteNames() {
    }

    public static boolean valid(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    /** What is wrong with {@code s}, or null. */
    public static String problem(String s) {
        return valid(s) ? null : "must match [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])? (a DNS-1123 label of at most 63 characters)";
    }
}
