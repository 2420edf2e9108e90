package io.orchide.node.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeTokenTest {
    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    @Test
    void theFirstStartMakesARandomTokenOnlyItsOwnerMayReadAndLaterStartsKeepIt() throws Exception {
        Path file = dir.resolve("node.token");

        NodeToken made = NodeToken.loadOrCreate(file, random);

        assertThat(made.value()).startsWith(NodeToken.PREFIX).hasSize(NodeToken.PREFIX.length() + 43)
                .matches("ont_[A-Za-z0-9_-]{43}");
        assertThat(Files.readString(file)).isEqualTo(made.value() + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NodeToken.loadOrCreate(file, random).value()).isEqualTo(made.value());
        assertThat(NodeToken.read(file).matches(made.value())).isTrue();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("node.token");
        assertThat(NodeToken.loadOrCreate(dir.resolve("other.token"), random).value()).isNotEqualTo(made.value());
    }

    @Test
    void aTokenFileItsGroupOrOthersMayReadIsRefusedNamingThePathAndTheMode() throws Exception {
        Path file = dir.resolve("node.token");
        String value = NodeToken.loadOrCreate(file, random).value();
        for (String mode : new String[]{"rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

            assertThatThrownBy(() -> NodeToken.loadOrCreate(file, random)).as(mode)
                    .hasMessageContaining(file.toString()).hasMessageContaining("too open")
                    .hasMessageContaining("chmod 600");
            assertThat(Files.readString(file)).as(mode).isEqualTo(value + "\n"); // refused, not replaced
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> NodeToken.read(file)).hasMessageContaining("permissions 0640 for " + file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(NodeToken.read(file).value()).isEqualTo(value);
    }

    @Test
    void aMissingOrMalformedTokenFileIsSaidWithItsPath() throws Exception {
        Path file = dir.resolve("node.token");
        assertThatThrownBy(() -> NodeToken.read(file)).hasMessageContaining("no node token at " + file)
                .hasMessageContaining("first start");

        Files.writeString(file, "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> NodeToken.loadOrCreate(file, random))
                .hasMessageContaining(file + " does not hold a node token").hasMessageNotContaining("secret");
    }

    @Test
    void onlyTheWholeTokenMatches() throws Exception {
        NodeToken t = NodeToken.loadOrCreate(dir.resolve("node.token"), random);

        assertThat(t.matches(t.value())).isTrue();
        assertThat(t.matches(t.value().substring(0, t.value().length() - 1))).isFalse();
        assertThat(t.matches(t.value() + "x")).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.toString()).doesNotContain(t.value().substring(NodeToken.PREFIX.length()));
    }
}
