package io.orchide.twin.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for ground's link listener: runs a handler on every accepted connection, each on its own thread. */
final class Upstream implements AutoCloseable {

    /** What ground does with one connection. */
    interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    Upstream(Handler handler) {
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofVirtual().name("upstream-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    threads.add(Thread.ofVirtual().name("upstream-conn").start(() -> {
                        try (socket) {
                            handler.handle(socket);
                        } catch (Exception e) {
                            // the handler records what it needs; a broken connection ends it
                        }
                    }));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        acceptor.join();
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
