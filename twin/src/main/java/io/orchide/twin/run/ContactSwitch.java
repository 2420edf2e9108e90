package io.orchide.twin.run;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Tells a node's agent that its contact opens or closes ({@code POST /api/v1/link}), as the contact plan on board
 * would, off the twin's event thread: an agent busy for a moment (a loaded machine, a garbage collection) delays
 * the call, not the scenario. Calls go one at a time, in order; a failed one is tried again while it is still the
 * last word, so the agent ends with the contact state of the plan.
 */
final class ContactSwitch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ContactSwitch.class.getName());
    private static final int ATTEMPTS = 5;

    private final String url;
    private final HttpJson http;
    private final ExecutorService calls = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("twin-contact").factory());
    private Boolean wanted;   // the last state asked for
    private Boolean told;     // the last state the agent accepted

    ContactSwitch(String url, HttpJson http) {
        this.url = url;
        this.http = http;
    }

    /** Asks for the contact to be {@code open}; {@code again}: even if the agent was told so already (it rebooted). */
    synchronized void set(boolean open, boolean again) {
        wanted = open;
        if (again) told = null;
        calls.execute(this::tell);
    }

    private void tell() {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            boolean open;
            synchronized (this) {
                if (wanted == null || wanted.equals(told)) return;
                open = wanted;
            }
            try {
                http.post(url, "{\"open\": " + open + "}");
                synchronized (this) {
                    told = open;
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "attempt " + attempt + " to set the contact failed: " + e.getMessage());
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        calls.shutdownNow();
        calls.awaitTermination(5, TimeUnit.SECONDS);
    }
}
