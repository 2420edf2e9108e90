package io.orchide.cli.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the documentation test takes from a Markdown file as commands, and what it leaves out. */
class DocCommandsTest {
    private static final String DOC = """
            # Title

            ```
            ./orchide node --data-dir /tmp/n1 --listen 127.0.0.1:7100 &   # in the background
            # a comment line
            ./orchide get workloads \\
                -o json
            ```

            ```text
            NAME  STATE
            ```

            <!-- doc-test: skip (needs a second machine) -->
            ```
            ssh other-host
            ```

            ```sh
            cat > a.yaml <<'EOF'
            # kept: part of the file
            kind: App
            EOF
            curl -s http://127.0.0.1:7100/api/v1/link
            ```
            """;

    @Test
    void commandsAreTheLinesOfShellBlocksWithContinuationsAndHereDocumentsWhole() {
        assertThat(DocCommands.of(DOC)).containsExactly(
                new DocCommands.Command(4, "./orchide node --data-dir /tmp/n1 --listen 127.0.0.1:7100 &   # in the background"),
                new DocCommands.Command(6, "./orchide get workloads \\\n    -o json"),
                new DocCommands.Command(20, "cat > a.yaml <<'EOF'\n# kept: part of the file\nkind: App\nEOF"),
                new DocCommands.Command(24, "curl -s http://127.0.0.1:7100/api/v1/link"));
    }

    @Test
    void aSkipWithoutAReasonIsRefused() {
        assertThatThrownBy(() -> DocCommands.of("<!-- doc-test: skip -->\n```\nls\n```\n"))
                .hasMessageContaining("needs a reason");
    }

    @Test
    void theScriptMovesDataDirectoriesAndPortsAndWaitsForABackgroundServer() {
        String script = DocScript.of("doc.md", DocCommands.of(DOC), Path.of("/work/t"), () -> 40001);
        assertThat(script)
                .contains("./orchide node --data-dir /work/t/n1 --listen 127.0.0.1:40001 &")
                .contains("(exec 3<>/dev/tcp/127.0.0.1/40001)")
                .contains("curl -s http://127.0.0.1:40001/api/v1/link")
                .doesNotContain("7100").doesNotContain("/tmp/");
        List<String> lines = script.lines().toList();
        assertThat(lines.indexOf("DOC_LINE=24; echo \"doc-test> doc.md:24\" >&2")).isPositive();
    }
}
