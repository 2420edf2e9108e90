package io.orchide.runtime.solo5;

import io.orchide.runtime.LaunchException;
import io.orchide.runtime.StartCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a Solo5 run counts as started, read from consoles as the tenders write them. */
class Solo5StartTest {
    @TempDir
    Path tmp;

    @Test
    void theBindingsFirstLineMeansTheGuestRuns() throws Exception {
        Path console = Files.writeString(tmp.resolve("console"), """
                            |      ___|
                  __|  _ \\  |  _ \\ __ \\
                Solo5: Bindings version v0.9.0
                """);
        // it ended too, with the guest's own status: still a start, so the exit is the guest's
        assertThatCode(() -> new Solo5Start("solo5-spt").awaitStarted(tmp, console, () -> true)).doesNotThrowAnyException();
    }

    @Test
    void aTenderThatEndsBeforeThatNeverStartedAGuest() throws Exception {
        Path console = Files.writeString(tmp.resolve("console"),
                "solo5-spt: Device 'storage' of type BLOCK_BASIC declared but not attached.\n");
        assertThatThrownBy(() -> new Solo5Start("solo5-spt").awaitStarted(tmp, console, () -> true))
                .isInstanceOfSatisfying(LaunchException.class, e ->
                        assertThat(e.getMessage()).isEqualTo("solo5-spt exited before the unikernel started"));
    }

    @Test
    void aQuietGuestLogsNothingSoTheExecIsAllThatIsKnown() {
        assertThat(Solo5Start.forArgs("solo5-hvt", List.of("--solo5:quiet", "x"))).isSameAs(StartCheck.EXEC);
        assertThat(Solo5Start.forArgs("solo5-hvt", List.of("x"))).isInstanceOf(Solo5Start.class);
    }
}
