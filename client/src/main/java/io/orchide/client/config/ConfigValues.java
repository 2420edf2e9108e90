package io.orchide.client.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What each field of a context may hold, checked the same way in the file and on the command line. Each check returns
 * null when the value is good and otherwise what is wrong, with the value (except a token's, which is never shown).
 */
public final class ConfigValues {
    private static final String NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final int MAX_TOKEN = 4096;

    private ConfigValues() {
    }

    /** A context, tenant or satellite name: a DNS label, as every Orchide name. */
    public static String name(String value) {
        return value.matches(NAME) && value.length() <= 63 ? null
                : "lower-case letters, digits and '-', at most 63 (got " + value + ")";
    }

    /** {@code http(s)://HOST:PORT} or {@code HOST:PORT}; null when it is good. */
    public static String server(String value) {
        try {
            URI u = new URI(normalizedServer(value));
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) return bad(value, "not http or https");
            if (u.getHost() == null) return bad(value, "no host name or address in it");
            if (!u.getRawPath().isEmpty() || u.getRawQuery() != null || u.getRawFragment() != null) {
                return bad(value, "a server address has no path or query");
            }
            return null;
        } catch (URISyntaxException e) {
            return bad(value, e.getReason());
        }
    }

    /** The address as it is stored and compared: a scheme always, no trailing slash. */
    public static String normalizedServer(String value) {
        String s = value.strip();
        s = s.contains("://") ? s : "http://" + s;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * An OpenID Connect issuer identifier: an http(s) URL with a host, no query or fragment. It is kept exactly as
     * given (a trailing slash included): tokens name their issuer by this very string.
     */
    public static String issuer(String value) {
        try {
            URI u = new URI(value);
            String expected = "; expected the issuer's URL as its tokens name it, e.g. https://login.example.com/realms/ops";
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) return "not http or https (got " + value + ")" + expected;
            if (u.getHost() == null) return "no host name or address in it (got " + value + ")" + expected;
            if (u.getRawQuery() != null || u.getRawFragment() != null) return "an issuer has no query or fragment (got " + value + ")" + expected;
            return null;
        } catch (URISyntaxException e) {
            return e.getReason() + " (got " + value + ")";
        }
    }

    /** A bearer token: visible ASCII without spaces, so that it fits an HTTP header as it is. */
    public static String token(String value) {
        if (value.isEmpty()) return "is empty";
        if (value.length() > MAX_TOKEN) return "is longer than " + MAX_TOKEN + " characters (value not shown)";
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "holds a space, a control or a non-ASCII character at position " + (i + 1) + " (value not shown)";
            }
        }
        return null;
    }

    private static String bad(String value, String why) {
        return why + " (got " + value + "); expected http://HOST:PORT, e.g. http://127.0.0.1:7000";
    }
}
