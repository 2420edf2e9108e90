package io.orchide.node.api;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestWarmupTest {
    @Test
    void theSampleReadsAsTheSameAppInYamlAndInTheJsonTheCliSends() throws Exception {
        // a sample the reader refused would warm up only its error path, and log a warning at every agent start
        App yaml = Manifests.parseApp(ManifestWarmup.SAMPLE, Arch.X86_64);
        assertThat(ManifestWarmup.run(Arch.X86_64, 2)).isEqualTo(yaml);
        assertThat(ManifestWarmup.run(Arch.AARCH64, 1)).isInstanceOf(App.class);
    }
}
