package io.orchide.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code VERB --help} prints the verb's usage and exits 0, for every verb and sub-verb, as {@code orchide --help} does. */
class HelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"apply", "get", "describe", "logs", "start", "stop", "restart", "delete", "wait", "run",
            "cancel", "event", "ground", "image", "image pack", "image push", "products", "dataset", "config",
            "config set-context", "config get-contexts", "doctor", "demo", "twin"})
    void everyVerbAnswersHelpWithItsUsage(String verb) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] words = (verb + " --help").split(" ");
        int status = Main.run(words, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(err.toString(StandardCharsets.UTF_8)).as("stderr of %s --help", verb).isEmpty();
        assertThat(status).as("exit status of %s --help", verb).isZero();
        assertThat(printed).startsWith("Usage: orchide " + verb).contains("-h, --help");
    }
}
