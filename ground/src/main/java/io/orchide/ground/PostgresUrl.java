package io.orchide.ground;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:postgresql://} URL and the password that goes with it. The password reaches the driver inside the
 * URL built in memory (the driver URL-decodes its parameters), so that it never has to be on a command line.
 */
public final class PostgresUrl {
    private static final Pattern PASSWORD = Pattern.compile("([?&])password=[^&]*");

    private PostgresUrl() {
    }

    /** Whether {@code url} carries a {@code password} parameter. */
    public static boolean hasPassword(String url) {
        return PASSWORD.matcher(url).find();
    }

    /**
     * {@code url} with {@code password} as its {@code password} parameter (null: {@code url} as it is). Refuses a URL
     * that carries a password already: which of the two is meant cannot be guessed.
     */
    public static String withPassword(String url, String password) {
        if (password == null) return url;
        if (hasPassword(url)) {
            throw new IllegalArgumentException("the database URL " + redacted(url)
                    + " carries a password already, and another was given: keep one of them");
        }
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
        return url + (url.indexOf('?') < 0 ? "?" : url.endsWith("?") || url.endsWith("&") ? "" : "&") + "password=" + encoded;
    }

    /** {@code url} with its password, if any, shown as {@code ***}: for messages and logs. */
    public static String redacted(String url) {
        return PASSWORD.matcher(url).replaceAll("$1password=***");
    }

    /** The password a URL carries, decoded as the driver decodes it, or null (for tests of what reaches the driver). */
    static String password(String url) {
        var m = PASSWORD.matcher(url);
        if (!m.find()) return null;
        String p = m.group();
        return URLDecoder.decode(p.substring(p.indexOf('=') + 1), StandardCharsets.UTF_8);
    }
}
