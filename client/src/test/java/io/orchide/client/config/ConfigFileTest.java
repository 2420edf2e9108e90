package io.orchide.client.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {
    private static final String TOKEN = "ocean-7f3a9c1e5b";

    @TempDir
    Path dir;

    private static final ClientConfig CONFIG = new ClientConfig("ocean", List.of(
            new Context("ocean", "http://127.0.0.1:7000", TOKEN, "ocean-team", "sat-1"),
            new Context("lab", "http://127.0.0.1:7100", null, null, null),
            new Context("sso", "http://127.0.0.1:7000", TOKEN, null, null, "https://login.example.com/realms/ops/")));

    @Test
    void whatIsWrittenIsReadBack() {
        ConfigFile file = new ConfigFile(dir.resolve("config"));

        file.write(CONFIG);

        assertThat(file.read()).isEqualTo(CONFIG);
    }

    @Test
    void noFileIsAnEmptyConfiguration() {
        assertThat(new ConfigFile(dir.resolve("config")).read()).isEqualTo(ClientConfig.EMPTY);
    }

    @Test
    void theFileAndTheFolderMadeForItAreForTheirOwnerOnly() throws IOException {
        Path path = dir.resolve("home/.config/orchide/config");

        new ConfigFile(path).write(CONFIG);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aFileOthersCouldReadIsReplacedByANewFileForItsOwnerOnlyLeavingNoTemporaryFile() throws IOException {
        Path path = Files.writeString(dir.resolve("config"), "apiVersion: orchide.io/v1\nkind: Config\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        Object inodeBefore = Files.getAttribute(path, "unix:ino");

        new ConfigFile(path).write(CONFIG);

        // a new inode: the file was renamed into place whole, never rewritten where a reader could see a part
        assertThat(Files.getAttribute(path, "unix:ino")).isNotEqualTo(inodeBefore);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config");
        }
    }

    @Test
    void theEnvironmentNamesTheFileElseItIsInTheHomeConfigFolder() {
        assertThat(ConfigFile.of(Map.of("ORCHIDE_CONFIG", "/tmp/x/config", "HOME", "/home/u")::get).path())
                .isEqualTo(Path.of("/tmp/x/config"));
        assertThat(ConfigFile.of(Map.of("HOME", "/home/u")::get).path())
                .isEqualTo(Path.of("/home/u/.config/orchide/config"));
    }

    @Test
    void aBadFileIsRefusedNamingTheFileTheFieldAndTheValue() throws IOException {
        Map<String, String[]> cases = Map.of(
                "contexts:\n- name: ocean\n  server: ftp://127.0.0.1:7000\n",
                new String[]{"contexts[0].server", "ftp://127.0.0.1:7000"},
                "contexts:\n- name: ocean\n  sever: http://127.0.0.1:7000\n",
                new String[]{"contexts[0].sever", "unknown field"},
                "contexts:\n- name: Ocean Team\n",
                new String[]{"contexts[0].name", "Ocean Team"},
                "contexts:\n- name: a\n- name: a\n",
                new String[]{"contexts[1].name", "a second context named a"},
                "currentContext: fire\ncontexts:\n- name: ocean\n",
                new String[]{"currentContext", "no context named fire"},
                "contexts:\n- name: ocean\n  satellite: 42\n",
                new String[]{"contexts[0].satellite", "42"},
                "kind: App\n",
                new String[]{"kind", "App"},
                "contexts: ocean\n",
                new String[]{"contexts", "ocean"},
                "contexts: [\n",
                new String[]{"not YAML", "line"},
                "contexts:\n- name: ocean\n  issuer: login.example.com\n",
                new String[]{"contexts[0].issuer", "login.example.com"});
        for (var c : cases.entrySet()) {
            Path path = Files.writeString(dir.resolve("config"), c.getKey());

            assertThatThrownBy(() -> new ConfigFile(path).read()).as(c.getKey())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(path + ": ")
                    .hasMessageContaining(c.getValue()[0]).hasMessageContaining(c.getValue()[1]);
        }
    }

    @Test
    void aBadTokenIsRefusedNamingItsFieldButNotItsValue() throws IOException {
        Path path = Files.writeString(dir.resolve("config"), "contexts:\n- name: ocean\n  token: \"" + TOKEN + " x\"\n");

        assertThatThrownBy(() -> new ConfigFile(path).read())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("contexts[0].token: holds a space")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void aSyntaxErrorNearATokenDoesNotQuoteIt() throws IOException {
        for (String text : List.of("{\"contexts\": [{\"name\": \"ocean\", \"token\": \"" + TOKEN + "}]}",
                "contexts:\n- name: ocean\n  token: " + TOKEN + ": x\n",
                "contexts:\n- name: ocean\n  token: '" + TOKEN + "\n")) {
            Path path = Files.writeString(dir.resolve("config"), text);

            assertThatThrownBy(() -> new ConfigFile(path).read()).as(text)
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("syntax error").doesNotContain(TOKEN)
                            .doesNotContain("7f3a"));
        }
    }
}
