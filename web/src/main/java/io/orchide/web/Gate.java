package io.orchide.web;

import com.sun.net.httpserver.HttpExchange;

/**
 * Decides whether a request may reach any route, before the routes are matched: a refused request learns nothing
 * of which paths exist. {@link #check} returns normally to let the request through and throws an
 * {@link ApiException} (401, 403) to refuse it; headers it sets on the exchange (such as {@code WWW-Authenticate})
 * go out with the refusal.
 */
@FunctionalInterface
public interface Gate {
    /** Every request goes through. */
    Gate OPEN = ex -> { };

    void check(HttpExchange ex);
}
