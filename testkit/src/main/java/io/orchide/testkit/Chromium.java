package io.orchide.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the DevTools protocol with the JDK's WebSocket
 * client: no driver binary and no library. One browser process, one page. {@link #find()} says whether the browser
 * is installed, so a test can skip with the reason where it cannot run.
 */
public final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private volatile Consumer<JsonNode> events = e -> { };

    /** The browser's binary: {@code $ORCHIDE_CHROMIUM}, else Debian's {@code /usr/bin/chromium}; empty when neither exists. */
    public static Optional<Path> find() {
        String env = System.getenv("ORCHIDE_CHROMIUM");
        for (String c : env == null ? new String[] {"/usr/bin/chromium"} : new String[] {env, "/usr/bin/chromium"}) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Starts the browser headless with a fresh profile and a page of {@code width} x {@code height} CSS pixels. */
    public static Chromium start(Path binary, int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("orchide-chromium");
        Process p = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--hide-scrollbars", "--mute-audio",
                "--force-device-scale-factor=1", "--window-size=" + width + "," + height,
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            int port = devToolsPort(p);
            return new Chromium(p, profile, pageSocket(port));
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /** The port from the line the browser prints on stderr once it listens ("DevTools listening on ws://..."). */
    private static int devToolsPort(Process p) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            int i = line.indexOf("DevTools listening on ws://");
            if (i >= 0) {
                URI u = URI.create(line.substring(i + "DevTools listening on ".length()).strip());
                Thread.ofVirtual().start(() -> drain(err)); // a full stderr pipe would stall the browser
                return u.getPort();
            }
            if (seen.length() < 4000) seen.append(line).append('\n');
        }
        throw new IOException("chromium exited before it listened for DevTools: " + seen);
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // discarded: the browser's own log
            }
        } catch (IOException e) {
            // the browser is gone
        }
    }

    private static WebSocket pageSocket(int port) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : JSON.readTree(r.body())) {
                if (t.path("type").asText().equals("page")) {
                    return connect(http, t.path("webSocketDebuggerUrl").asText());
                }
            }
            throw new IOException("chromium has no page target: " + r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static WebSocket connect(HttpClient http, String url) {
        Listener l = new Listener();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(url), l).join();
        return ws;
    }

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        Listener.OWNERS.put(socket, this);
        call("Page.enable", null);
        call("Runtime.enable", null);
    }

    /** Told of every event the page sends (method and params), on the socket's thread. */
    public void onEvent(Consumer<JsonNode> c) {
        this.events = c == null ? e -> { } : c;
    }

    /** Sends one DevTools command and waits for its result; an error answer is an exception naming it. */
    public JsonNode call(String method, ObjectNode params) {
        long id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) msg.set("params", params);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(msg.toString(), true).join();
        JsonNode r;
        try {
            r = f.get(CALL.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("DevTools " + method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
        if (r.has("error")) throw new IllegalStateException("DevTools " + method + " failed: " + r.get("error"));
        return r.path("result");
    }

    public static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Loads {@code url} in the page (returns once the navigation is committed, not when the page is done). */
    public void navigate(String url) {
        JsonNode r = call("Page.navigate", params().put("url", url));
        if (r.hasNonNull("errorText")) throw new IllegalStateException("navigation to " + url + " failed: " + r.get("errorText"));
    }

    /** The value of a JavaScript expression in the page (a promise is awaited), as JSON. */
    public JsonNode eval(String expression) {
        JsonNode r = call("Runtime.evaluate", params().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** A PNG of the page's area {@code x, y, width, height} (CSS pixels of the document), decoded. */
    public BufferedImage screenshot(double x, double y, double width, double height) {
        ObjectNode clip = params().put("x", x).put("y", y).put("width", width).put("height", height).put("scale", 1);
        ObjectNode p = params().put("format", "png").put("captureBeyondViewport", true);
        p.set("clip", clip);
        byte[] png = Base64.getDecoder().decode(call("Page.captureScreenshot", p).path("data").asText());
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole page as a PNG, for a person to look at. */
    public byte[] screenshotPng() {
        ObjectNode p = params().put("format", "png").put("captureBeyondViewport", true);
        return Base64.getDecoder().decode(call("Page.captureScreenshot", p).path("data").asText());
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        } catch (RuntimeException e) {
            // the browser is stopped below either way
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(profile);
    }

    private void received(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(m.get("id").asLong());
            if (f != null) f.complete(m);
        } else {
            events.accept(m);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind
        }
    }

    /** Reassembles text frames into messages and hands each to its browser. */
    private static final class Listener implements WebSocket.Listener {
        static final Map<WebSocket, Chromium> OWNERS = new ConcurrentHashMap<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String m = text.toString();
                text.setLength(0);
                try {
                    JsonNode n = JSON.readTree(m);
                    Chromium owner = OWNERS.get(ws);
                    if (owner != null) owner.received(n);
                } catch (IOException e) {
                    // not JSON: nothing the protocol sends
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            Chromium owner = OWNERS.remove(ws);
            if (owner != null) {
                owner.pending.values().forEach(f -> f.completeExceptionally(new IOException("DevTools closed: " + reason)));
            }
            return null;
        }
    }
}
