package io.orchide.link;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses a dialling endpoint tries in turn, as written by an operator: {@code host:port} entries separated by
 * commas ({@code g1.example:7001,10.0.0.7:7001,[fd00::7]:7001}). A host that is a name may stand for several
 * replicas: {@link #resolve} expands it to every address it has, each time it is called, so that a change of the
 * name's records is followed without a restart.
 */
public record LinkAddresses(List<HostPort> entries) {
    /** The most entries a list may have: a fleet's ground replicas, not a scan of a network. */
    public static final int MAX_ENTRIES = 64;

    /** One entry as written: a host (a name, an IPv4 or an IPv6 address without brackets) and a port. */
    public record HostPort(String host, int port) {
        public HostPort {
            if (host == null || host.isBlank()) throw new LinkException("address", host, "has no host");
            if (port < 1 || port > 65535) throw new LinkException("address", host + ":" + port, "port is outside 1..65535");
        }

        /** {@code host:port}, an IPv6 address in brackets, as a convergence layer takes it. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** An address to dial ({@code address}, a literal {@code ip:port}), and the entry it came from ({@code entry}). */
    public record Target(String address, HostPort entry) {
        /** The address, with the name it was resolved from when there was one. */
        public String label() {
            String written = entry.toString();
            return written.equals(address) ? address : address + " (" + written + ")";
        }
    }

    /** The name service: a host's addresses, all of them. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        Resolver DNS = host -> List.of(InetAddress.getAllByName(host));
    }

    /** The outcome of one {@link #resolve}: the targets in order, and the entries that did not resolve, with why. */
    public record Resolution(List<Target> targets, List<String> failures) { }

    public LinkAddresses {
        if (entries == null || entries.isEmpty()) throw new LinkException("address", "", "is empty");
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code host:port[,host:port...]}; blanks around commas are allowed. Throws a {@link LinkException}
     * naming the whole text and the entry at fault.
     */
    public static LinkAddresses parse(String text) {
        if (text == null || text.isBlank()) throw new LinkException("address", text, "is empty: expected host:port[,host:port...]");
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_ENTRIES) {
            throw new LinkException("address", text, "has " + parts.length + " entries, more than " + MAX_ENTRIES);
        }
        List<HostPort> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            String where = parts.length == 1 ? "" : " (entry " + (i + 1) + " '" + p + "')";
            if (p.isEmpty()) throw new LinkException("address", text, "has an empty entry" + where);
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new LinkException("address", text, "is not host:port" + where);
            }
            String host = p.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            else if (host.indexOf(':') >= 0) {
                throw new LinkException("address", text, "has an IPv6 address without brackets, write [addr]:port" + where);
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
                throw new LinkException("address", text, "has a host that is neither a name nor an address" + where);
            }
            int port;
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new LinkException("address", text, "has no numeric port" + where);
            }
            if (port < 1 || port > 65535) throw new LinkException("address", text, "has a port outside 1..65535" + where);
            out.add(new HostPort(host, port));
        }
        return new LinkAddresses(out);
    }

    /**
     * The targets to try, in the order written: an address literal as it is, a name expanded to each of its addresses
     * in the order the resolver gives them; a target named twice is tried once.
     */
    public Resolution resolve(Resolver resolver) {
        Set<String> seen = new LinkedHashSet<>();
        List<Target> targets = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (HostPort e : entries) {
            if (literal(e.host())) {
                if (seen.add(e.toString())) targets.add(new Target(e.toString(), e));
                continue;
            }
            try {
                List<InetAddress> ips = resolver.resolve(e.host());
                if (ips.isEmpty()) failures.add(e + ": the name has no address");
                for (InetAddress ip : ips) {
                    String a = new HostPort(ip.getHostAddress(), e.port()).toString();
                    if (seen.add(a)) targets.add(new Target(a, e));
                }
            } catch (UnknownHostException | RuntimeException x) {
                failures.add(e + ": " + (x instanceof UnknownHostException ? "unknown host" : x.toString()));
            }
        }
        return new Resolution(List.copyOf(targets), List.copyOf(failures));
    }

    /** An IPv4 or IPv6 address literal: dialled as written, no name service asked. */
    static boolean literal(String host) {
        return host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    @Override
    public String toString() {
        return String.join(",", entries.stream().map(HostPort::toString).toList());
    }
}
