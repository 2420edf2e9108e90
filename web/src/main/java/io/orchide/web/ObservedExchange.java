package io.orchide.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * An exchange that tells its {@link ApiServer.Observer} of the answer as the status line goes out, before the client
 * can read any of it: a client that reads the answer and asks at once (for the metrics) finds it counted. An exchange
 * that sends no answer is told once it ends ({@link #endedUnanswered}).
 */
final class ObservedExchange extends HttpExchange {
    private final HttpExchange ex;
    private final ApiServer.Observer observer;
    private boolean told;

    ObservedExchange(HttpExchange ex, ApiServer.Observer observer) {
        this.ex = ex;
        this.observer = observer;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        tell(rCode);
        ex.sendResponseHeaders(rCode, responseLength);
    }

    /** Tells the observer of an exchange that ended without sending a status (-1). */
    void endedUnanswered() {
        tell(ex.getResponseCode());
    }

    private void tell(int status) {
        if (told) return;
        told = true;
        observer.answered(ex, status);
    }

    @Override public Headers getRequestHeaders() { return ex.getRequestHeaders(); }
    @Override public Headers getResponseHeaders() { return ex.getResponseHeaders(); }
    @Override public URI getRequestURI() { return ex.getRequestURI(); }
    @Override public String getRequestMethod() { return ex.getRequestMethod(); }
    @Override public HttpContext getHttpContext() { return ex.getHttpContext(); }
    @Override public void close() { ex.close(); }
    @Override public InputStream getRequestBody() { return ex.getRequestBody(); }
    @Override public OutputStream getResponseBody() { return ex.getResponseBody(); }
    @Override public InetSocketAddress getRemoteAddress() { return ex.getRemoteAddress(); }
    @Override public int getResponseCode() { return ex.getResponseCode(); }
    @Override public InetSocketAddress getLocalAddress() { return ex.getLocalAddress(); }
    @Override public String getProtocol() { return ex.getProtocol(); }
    @Override public Object getAttribute(String name) { return ex.getAttribute(name); }
    @Override public void setAttribute(String name, Object value) { ex.setAttribute(name, value); }
    @Override public void setStreams(InputStream i, OutputStream o) { ex.setStreams(i, o); }
    @Override public HttpPrincipal getPrincipal() { return ex.getPrincipal(); }
}
