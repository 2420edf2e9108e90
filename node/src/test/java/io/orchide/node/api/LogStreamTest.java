package io.orchide.node.api;

import io.orchide.web.ApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code logs -f} ends once the attempt has ended, with every line the attempt wrote. */
class LogStreamTest {
    @TempDir
    Path dir;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private ApiServer server;
    private Path console;

    @BeforeEach
    void start() throws Exception {
        console = dir.resolve("console.log");
        Files.writeString(console, "booting\n");
        server = new ApiServer(new InetSocketAddress("127.0.0.1", 0));
        server.route("GET", "/logs", (ex, m) -> LogStream.send(ex, console, 200, true, ended));
        server.start();
    }

    @AfterEach
    void stop() { server.close(); }

    @Test
    void aFollowEndsWhenTheAttemptEndsAfterItsLastLinesEvenAnUnfinishedOne() throws Exception {
        CompletableFuture<HttpResponse<String>> reply = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        Files.writeString(console, "hello\nbye without newline", StandardOpenOption.APPEND);
        assertThat(reply).isNotDone();

        ended.complete("Succeeded");

        await().atMost(Duration.ofSeconds(20)).until(reply::isDone);
        assertThat(reply.get().statusCode()).isEqualTo(200);
        assertThat(reply.get().body()).isEqualTo("booting\nhello\nbye without newline\n");
    }

    @Test
    void aFollowOfAnAttemptAlreadyOverPrintsTheTailAndEnds() throws Exception {
        ended.complete("Failed");

        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/logs"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.body()).isEqualTo("booting\n");
    }
}
