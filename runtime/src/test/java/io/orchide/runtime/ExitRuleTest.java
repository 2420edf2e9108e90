package io.orchide.runtime;

import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.runtime.process.ExitDecoder;
import io.orchide.runtime.qemu.ExitConventions;
import io.orchide.runtime.solo5.Solo5Exits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** One rule for every family: a kill, a recorded cause or an unrecorded end never carries a guest code. */
class ExitRuleTest {
    private static final List<Function<RawExit, ExitStatus>> DECODERS = List.of(
            r -> ExitConventions.decode(Family.UNIKRAFT, Arch.X86_64, r),
            r -> ExitConventions.decode(Family.MULTIBOOT, Arch.X86_64, r),
            r -> ExitConventions.decode(Family.NANOS, Arch.X86_64, r),
            r -> ExitConventions.decode(Family.MULTIBOOT, Arch.AARCH64, r),
            Solo5Exits::decode,
            r -> ExitDecoder.decode(r, "runc"));

    @ParameterizedTest
    @ValueSource(strings = {"signal", "cause", "unrecorded"})
    void noGuestCodeWithoutTheGuestsOwnStatus(String kind) {
        RawExit raw = switch (kind) {
            case "signal" -> new RawExit(0, 9, Instant.EPOCH);
            case "cause" -> new RawExit(0, 0, Instant.EPOCH, "hypervisor error: internal-error");
            default -> new RawExit(-1, 0, Instant.EPOCH);   // the shim was killed before it recorded the exit
        };
        for (var decoder : DECODERS) {
            ExitStatus s = decoder.apply(raw);
            assertThat(s.guestCode()).as(kind + ": " + s.reason()).isNull();
            assertThat(s.success()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {137, 143})
    void aContainerKilledBySignalHasNoExitCode(int status) {
        ExitStatus s = ExitDecoder.decode(new RawExit(status, 0, Instant.EPOCH), "runc");
        assertThat(s.guestCode()).isNull();
        assertThat(s.reason()).isEqualTo("killed by signal " + (status - 128));
    }
}
