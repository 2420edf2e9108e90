package io.orchide.client.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where each part of a verb's target comes from: flag, then environment, then the current context. */
class TargetTest {
    private static final ClientConfig CONFIG = new ClientConfig("ocean", List.of(
            new Context("ocean", "http://ground:7000", "context-token", "ocean-team", "sat-1")));
    private static final Target NO_FLAGS = new Target(null, null, null, null);

    @Test
    void theCurrentContextGivesWhatNothingElseGives() {
        Target t = Target.resolve(NO_FLAGS, Map.<String, String>of()::get, CONFIG);

        assertThat(t).isEqualTo(new Target("http://ground:7000", "context-token", "ocean-team", "sat-1"));
    }

    @Test
    void theEnvironmentBeatsTheContextAndAFlagBeatsBoth() {
        Map<String, String> env = Map.of("ORCHIDE_SERVER", "http://ground:7000", "ORCHIDE_TOKEN", "env-token");

        assertThat(Target.resolve(NO_FLAGS, env::get, CONFIG).token()).isEqualTo("env-token");
        assertThat(Target.resolve(new Target(null, "flag-token", null, "sat-2"), env::get, CONFIG))
                .isEqualTo(new Target("http://ground:7000", "flag-token", "ocean-team", "sat-2"));
        assertThat(Target.resolve(new Target("http://other:7100", null, null, null), env::get, CONFIG).server())
                .isEqualTo("http://other:7100");
    }

    @Test
    void aContextsTokenAndSatelliteAreNeverUsedForAnotherServer() {
        Target t = Target.resolve(new Target("http://node:7100", null, null, null), Map.<String, String>of()::get, CONFIG);

        assertThat(t.token()).isNull();
        assertThat(t.satellite()).isNull();
    }

    @Test
    void theContextsServerGivenAgainInAnotherSpellingIsStillTheContextsServer() {
        Target t = Target.resolve(new Target("ground:7000/", null, null, null), Map.<String, String>of()::get, CONFIG);

        assertThat(t.token()).isEqualTo("context-token");
    }

    @Test
    void noContextMeansNoToken() {
        assertThat(Target.resolve(NO_FLAGS, Map.<String, String>of()::get, ClientConfig.EMPTY))
                .isEqualTo(NO_FLAGS);
    }

    @Test
    void itsTextNeverShowsTheToken() {
        assertThat(Target.resolve(NO_FLAGS, Map.<String, String>of()::get, CONFIG).toString())
                .doesNotContain("context-token");
        assertThat(CONFIG.contexts().getFirst().toString()).doesNotContain("context-token");
    }
}
