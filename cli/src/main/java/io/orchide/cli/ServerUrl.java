package io.orchide.cli;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The server a client verb talks to, from {@code --server} or {@code ORCHIDE_SERVER}: {@code host:port} or an
 * {@code http(s)://host:port} URL; an IPv6 address goes in brackets. Anything else is refused with the value and
 * an example, before any request.
 */
final class ServerUrl {
    private static final String EXPECTED = "expected http://HOST:PORT, e.g. http://127.0.0.1:7100 "
            + "(an IPv6 address in brackets: http://[::1]:7100)";

    private ServerUrl() {
    }

    static URI parse(String server) {
        String s = server.contains("://") ? server : "http://" + server;
        if (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw bad(server, e.getReason());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) throw bad(server, "not http or https");
        if (u.getHost() == null) throw bad(server, "no host name or address in it");
        if (u.getRawQuery() != null || u.getRawFragment() != null) throw bad(server, "a server URL has no query");
        return u;
    }

    private static CliException bad(String server, String why) {
        return new CliException("server address: " + why + " (got " + server + "); " + EXPECTED
                + "; set it with --server or ORCHIDE_SERVER");
    }
}
