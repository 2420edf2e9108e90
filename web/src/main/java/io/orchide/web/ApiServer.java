package io.orchide.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's local API: JSON over HTTP on the JDK's built-in server, one virtual thread per request.
 * Routes are matched by method and path pattern; failures become JSON errors with a code, a message and,
 * where a field is at fault, its path.
 */
public final class ApiServer implements AutoCloseable {
    /** A request handler with the path's captured groups. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange ex, Matcher path) throws Exception;
    }

    /**
     * Told of each request as its answer's status goes out, before the client can read it (or once the exchange ended,
     * with -1, if none was sent): for metrics.
     */
    @FunctionalInterface
    public interface Observer {
        void answered(HttpExchange ex, int status);
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile java.util.function.Function<Exception, ApiException> translate = e -> null;
    private volatile Gate gate = Gate.OPEN;
    private volatile Observer observer = (ex, status) -> { };

    public ApiServer(InetSocketAddress listen) throws IOException {
        server = HttpServer.create(listen, 64);
        server.setExecutor(executor);
        server.createContext("/", this::observed);
    }

    public ApiServer route(String method, String pathRegex, Handler h) {
        routes.add(new Route(method, Pattern.compile(pathRegex), h));
        return this;
    }

    /**
     * How a handler's unexpected exception is told to the client: {@code t} returns the answer for the failures it
     * knows (a database outage as 503, say) and null for the rest, which stay 500 {@code internal}.
     */
    public ApiServer translate(java.util.function.Function<Exception, ApiException> t) {
        this.translate = t == null ? e -> null : t;
        return this;
    }

    /** The check every request passes before any route sees it (authentication); {@link Gate#OPEN} by default. */
    public ApiServer gate(Gate g) {
        this.gate = g == null ? Gate.OPEN : g;
        return this;
    }

    /** Who is told of every request answered (one observer; none by default). */
    public ApiServer observe(Observer o) {
        this.observer = o == null ? (ex, status) -> { } : o;
        return this;
    }

    public void start() { server.start(); }

    public InetSocketAddress address() { return server.getAddress(); }

    private void observed(HttpExchange raw) throws IOException {
        ObservedExchange ex = new ObservedExchange(raw, observer);
        try {
            dispatch(ex);
        } finally {
            ex.endedUnanswered(); // the code stays readable once the exchange is closed
        }
    }

    private void dispatch(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                gate.check(ex);
            } catch (ApiException e) {
                Exchange.error(ex, e);
                return;
            } catch (RuntimeException e) {
                ApiException known = translate.apply(e); // the gate's own store may be unreachable: 503, not 500
                Exchange.error(ex, known != null ? known : new ApiException(500, "internal", e.toString()));
                return;
            }
            String path = ex.getRequestURI().getPath();
            boolean pathKnown = false;
            for (Route r : routes) {
                Matcher m = r.path().matcher(path);
                if (!m.matches()) continue;
                pathKnown = true;
                if (!r.method().equals(ex.getRequestMethod())) continue;
                try {
                    r.handler().handle(ex, m);
                } catch (ApiException e) {
                    Exchange.error(ex, e);
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    ApiException known = translate.apply(e);
                    Exchange.error(ex, known != null ? known : new ApiException(500, "internal", e.toString()));
                }
                return;
            }
            Exchange.error(ex, pathKnown
                    ? new ApiException(405, "method_not_allowed", ex.getRequestMethod() + " not allowed on " + path)
                    : new ApiException(404, "not_found", "no such resource: " + path));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
