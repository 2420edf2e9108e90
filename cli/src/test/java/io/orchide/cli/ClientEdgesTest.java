package io.orchide.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client verb says when its input or its server is not what it needs. */
class ClientEdgesTest {
    private FakeNode node;

    @BeforeEach
    void start() throws Exception {
        node = new FakeNode().on("GET /api/v1/node", 200, "{\"arch\":\"x86_64\"}");
    }

    @AfterEach
    void stop() { node.close(); }

    @Test
    void applyingAnEmptyFileSaysThereIsNothingToApplyNamingTheFile(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");

        FakeNode.Result r = node.run("apply", "-f", empty.toString());

        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains(empty.toString()).contains("nothing to apply");
        assertThat(node.requests).noneMatch(q -> q.method().equals("POST"));
    }

    @Test
    void applyingAFileOfCommentsOnlySaysThereIsNothingToApply(@TempDir Path dir) throws Exception {
        Path comments = Files.writeString(dir.resolve("notes.yaml"), "# an app will go here\n---\n# and here\n");

        FakeNode.Result r = node.run("apply", "-f", comments.toString());

        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("notes.yaml: nothing to apply");
        assertThat(node.requests).noneMatch(q -> q.method().equals("POST"));
    }
}
