package io.orchide.cli;

import io.orchide.model.time.ScaledClock;

import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * Option values the long-lived roles ({@code orchide node}, {@code orchide ground}) share: addresses, link rates and
 * simulated time. No command-line library here: the node parses its options by hand to keep its footprint down.
 */
final class OptionValues {
    private OptionValues() {
    }

    /** The real clock, or simulated time starting at {@code start} (default now) running {@code speed} times faster. */
    static Clock simulatedClock(double speed, java.time.Instant start) {
        return simulatedClock(speed, start, null);
    }

    /**
     * As {@link #simulatedClock(double, java.time.Instant)}, with simulated time {@code start} at the real instant
     * {@code origin} (null: now), so that processes started at different moments share one simulated time.
     */
    static Clock simulatedClock(double speed, java.time.Instant start, java.time.Instant origin) {
        if (speed == 1 && start == null && origin == null) return Clock.systemUTC();
        java.time.Instant now = java.time.Instant.now();
        return new ScaledClock(start != null ? start : origin != null ? origin : now, speed, origin);
    }

    static java.time.Instant instant(String option, String v) {
        try {
            return java.time.Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new CliException(option + ": expected an ISO-8601 instant such as 2026-12-01T00:00:00Z (got " + v + ")");
        }
    }

    static double speed(String option, String v) {
        try {
            double d = Double.parseDouble(v);
            if (d >= 1 && d <= 1_000_000) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(option + ": must be a number from 1 to 1000000 (got " + v + ")");
    }

    /** {@code host:port} to dial. */
    static String hostPort(String option, String v) {
        int i = v.lastIndexOf(':');
        if (i > 0) {
            try {
                int port = Integer.parseInt(v.substring(i + 1));
                if (port > 0 && port <= 65535) return v;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new CliException(option + ": expected host:port (got " + v + ")");
    }

    /** {@code host:port[,host:port...]} to dial in turn (ground replicas), as the link takes it. */
    static String linkAddresses(String option, String v) {
        try {
            return io.orchide.link.LinkAddresses.parse(v).toString();
        } catch (io.orchide.link.LinkException e) {
            throw new CliException(option + ": " + e.getMessage().replaceFirst("^address ", "")
                    + " (expected host:port[,host:port...])");
        }
    }

    /**
     * A duration as manifests write them, from {@code min} to {@code max}; refused naming the option, the bounds and
     * {@code example}.
     */
    static java.time.Duration duration(String option, String v, java.time.Duration min, java.time.Duration max,
                                       String example) {
        try {
            java.time.Duration d = io.orchide.model.codec.Durations.parse(v);
            if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) return d;
        } catch (RuntimeException e) {
            // reported below
        }
        throw new CliException(option + ": expected a duration from " + io.orchide.model.codec.Durations.format(min)
                + " to " + io.orchide.model.codec.Durations.format(max) + ", such as " + example + " (got " + v + ")");
    }

    /** A rate in bits per second, with an optional k, M or G suffix (powers of 1000). */
    static long rate(String option, String v) {
        try {
            return io.orchide.model.codec.Rates.parse(v);
        } catch (IllegalArgumentException e) {
            throw new CliException(option + ": " + e.getMessage());
        }
    }

    /** A size in bytes, with an optional decimal (k, M, G, T) or binary (Ki, Mi, Gi, Ti) multiplier. */
    static long size(String option, String v) {
        try {
            return io.orchide.model.codec.Sizes.parse(v);
        } catch (IllegalArgumentException e) {
            throw new CliException(option + ": " + e.getMessage() + " (got " + v + ")");
        }
    }

    /** {@code host:port} to listen on (port 0: any free one). */
    static InetSocketAddress address(String option, String hostPort) {
        int i = hostPort.lastIndexOf(':');
        try {
            if (i <= 0) throw new NumberFormatException();
            int port = Integer.parseInt(hostPort.substring(i + 1));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return new InetSocketAddress(hostPort.substring(0, i), port);
        } catch (NumberFormatException e) {
            throw new CliException(option + ": expected host:port (got " + hostPort + ")");
        }
    }

    /**
     * The URL a client reaches a server on that listens on {@code a}: a wildcard address (0.0.0.0, ::) is reached on
     * the loopback address, and an IPv6 address goes in brackets, so that the text can be used as ORCHIDE_SERVER.
     */
    static String url(InetSocketAddress a) {
        java.net.InetAddress ip = a.getAddress();
        String host = ip == null ? a.getHostString()
                : ip.isAnyLocalAddress() ? "127.0.0.1"
                : ip instanceof java.net.Inet6Address ? "[" + ip.getHostAddress() + "]" : a.getHostString();
        return "http://" + host + ":" + a.getPort();
    }

    /** {@link #url}, followed by a note when the server listens on every address. */
    static String listening(InetSocketAddress a) {
        boolean any = a.getAddress() != null && a.getAddress().isAnyLocalAddress();
        return url(a) + (any ? " (listening on every address, port " + a.getPort() + ")" : "");
    }
}
