package io.orchide.link.transport;

import io.orchide.link.LinkException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** The shipped convergence layer: one TCP connection per contact, {@code host:port} addresses, keep-alive on. */
public final class TcpConvergenceLayer implements ConvergenceLayer {
    @Override
    public Channel connect(String address, Duration timeout) throws IOException {
        InetSocketAddress a = parse(address);
        Socket s = new Socket();
        try {
            s.setKeepAlive(true);
            s.connect(a, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new TcpChannel(s);
    }

    @Override
    public Acceptor bind(String address) throws IOException {
        InetSocketAddress a = parse(address);
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(a, 64);
        return new Acceptor() {
            @Override
            public Channel accept() throws IOException {
                Socket s = ss.accept();
                s.setKeepAlive(true);
                return new TcpChannel(s);
            }

            @Override
            public String address() {
                return a.getHostString() + ":" + ss.getLocalPort();
            }

            @Override
            public void close() throws IOException {
                ss.close();
            }
        };
    }

    /** Parses {@code host:port} (port 0..65535; {@code [v6]:port} accepted). */
    public static InetSocketAddress parse(String address) {
        if (address == null) throw new LinkException("address", null, "is missing");
        int i = address.lastIndexOf(':');
        if (i <= 0 || i == address.length() - 1) throw new LinkException("address", address, "is not host:port");
        String host = address.substring(0, i);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(address.substring(i + 1));
        } catch (NumberFormatException e) {
            throw new LinkException("address", address, "has no numeric port");
        }
        if (port < 0 || port > 65535) throw new LinkException("address", address, "port is outside 0..65535");
        return new InetSocketAddress(host, port);
    }

    private static final class TcpChannel implements Channel {
        private final Socket s;
        private final InputStream in;
        private final OutputStream out;

        TcpChannel(Socket s) throws IOException {
            this.s = s;
            this.in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            this.out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        }

        @Override public InputStream input() { return in; }

        @Override public OutputStream output() { return out; }

        @Override public String remote() { return String.valueOf(s.getRemoteSocketAddress()); }

        @Override public void close() throws IOException { s.close(); }
    }
}
