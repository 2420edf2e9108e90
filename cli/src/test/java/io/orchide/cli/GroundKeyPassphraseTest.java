package io.orchide.cli;

import io.orchide.ground.GroundConfig;
import io.orchide.link.secure.EncryptedKeys;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.Passphrase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ground's key passphrase options: from a file's first line or the environment; --encrypt-key encrypts in place. */
class GroundKeyPassphraseTest {
    @TempDir
    Path tmp;
    final Map<String, String> env = new HashMap<>();

    private GroundCommand command(String... args) {
        GroundCommand c = new GroundCommand();
        new CommandLine(c).parseArgs(args);
        c.env = env;
        return c;
    }

    @Test
    void thePassphraseComesFromAFilesFirstLineOrTheEnvironmentAndNeverShows() throws Exception {
        Path f = Files.writeString(tmp.resolve("pass"), "orbit-7\nsecond line\n");
        GroundConfig cfg = command("--data-dir", tmp.toString(), "--key-passphrase-file", f.toString()).config();
        assertThat(cfg.keyPassphrase()).isEqualTo(Passphrase.of("orbit-7"));
        assertThat(cfg.toString()).doesNotContain("orbit-7");

        env.put(GroundCommand.KEY_PASSPHRASE_ENV, "from-env");
        assertThat(command("--data-dir", tmp.toString()).config().keyPassphrase()).isEqualTo(Passphrase.of("from-env"));
        env.clear();
        assertThat(command("--data-dir", tmp.toString()).config().keyPassphrase()).isNull();

        Files.writeString(f, "\n");
        assertThatThrownBy(() -> command("--data-dir", tmp.toString(), "--key-passphrase-file", f.toString()).config())
                .hasMessageContaining("--key-passphrase-file").hasMessageContaining("is empty");
        assertThatThrownBy(() -> command("--data-dir", tmp.toString(), "--key-passphrase-file", tmp.resolve("nope").toString()).config())
                .hasMessageContaining("no such file");
    }

    @Test
    void encryptKeyEncryptsTheClearKeyInPlace() throws Exception {
        KeyFiles.create(tmp.resolve("ground.key"), tmp.resolve("ground.pub"));
        assertThatThrownBy(() -> command("--data-dir", tmp.toString(), "--encrypt-key").run())
                .hasMessageContaining("needs the passphrase");

        env.put(GroundCommand.KEY_PASSPHRASE_ENV, "p");
        command("--data-dir", tmp.toString(), "--encrypt-key").run();
        assertThat(EncryptedKeys.isEncrypted(tmp.resolve("ground.key"))).isTrue();
        assertThat(EncryptedKeys.load(tmp.resolve("ground.key"), tmp.resolve("ground.pub"), Passphrase.of("p"))).isNotNull();
    }
}
