package io.orchide.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's recording run of the client verbs needs no server and says nothing on the terminal. */
class AotTrainingTest {
    @Test
    void theTrainingRunsTheVerbsAgainstItsOwnStandInAndPrintsNothing() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(seen, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            assertThat(AotTraining.run()).isZero();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(seen.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(System.out).isSameAs(out);
    }
}
