package io.orchide.ground.store;

/**
 * The connection settings ground adds to a {@code jdbc:postgresql://} URL unless the URL sets them itself: an operator's
 * value always wins.
 */
public final class PostgresUrl {
    /** Seconds a connection attempt may take ({@code connectTimeout}): an unreachable server is reported as such. */
    public static final int CONNECT_TIMEOUT_SECONDS = 5;
    /**
     * Seconds the driver waits for the server to say anything ({@code socketTimeout}) before it gives the connection
     * up: a silent network partition (no reset, no refusal) would otherwise hold a request, a sweep or the link's
     * transaction forever. It has to be above the longest legitimate silence of the server, which is not a slow
     * query (ground's queries are indexed lookups and small transactions, well under a second) but a wait on a lock
     * another replica holds: the migration lock while another replica migrates a large database at start, or a row
     * lock held by another replica's transaction that is itself stuck until its own timeout. One minute covers both
     * with room; a product's content streams continuously, so its size does not count.
     */
    public static final int SOCKET_TIMEOUT_SECONDS = 60;

    private PostgresUrl() {
    }

    /**
     * {@code url} with {@code connectTimeout}, {@code socketTimeout} and {@code tcpKeepAlive=true} (so that the kernel
     * notices a peer that vanished under an idle connection) added where it does not set them.
     */
    public static String withDefaults(String url) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        StringBuilder b = new StringBuilder(url);
        add(b, "connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        add(b, "socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        add(b, "tcpKeepAlive", "true");
        return b.toString();
    }

    private static void add(StringBuilder url, String key, String value) {
        int q = url.indexOf("?");
        if (q >= 0) {
            for (String p : url.substring(q + 1).split("&")) {
                if (p.equalsIgnoreCase(key) || p.regionMatches(true, 0, key + "=", 0, key.length() + 1)) return;
            }
        }
        char last = url.charAt(url.length() - 1);
        if (q < 0) url.append('?');
        else if (last != '?' && last != '&') url.append('&');
        url.append(key).append('=').append(value);
    }
}
