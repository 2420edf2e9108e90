package io.orchide.node.api;

import io.orchide.model.FieldError;
import io.orchide.runtime.LaunchException;
import io.orchide.web.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A launch failure reaches the user with its field and its value said once each. */
class LaunchErrorTest {
    @Test
    void theFieldAndTheValueAppearOnceInWhatTheClientPrints() {
        LaunchException e = new LaunchException("spec.inputs", "storage",
                "the image declares block device 'storage' but no input or output of that name is given");

        ApiException api = NodeApi.launchError("blk", e);

        assertThat(api.status()).isEqualTo(422);
        assertThat(api.errors()).extracting(FieldError::toString).containsExactly(
                "spec.inputs: the image declares block device 'storage' but no input or output of that name is given"
                        + " (got storage)");
        String printed = api.getMessage() + "\n" + api.errors().getFirst();
        assertThat(printed.split("spec\\.inputs", -1)).hasSize(2);
        assertThat(printed.split("\\(got storage\\)", -1)).hasSize(2);
        assertThat(api.getMessage()).isEqualTo("cannot launch blk");
    }

    @Test
    void aFailureWithoutAFieldIsTheMessageAlone() {
        ApiException api = NodeApi.launchError("blk", new LaunchException("cannot start orchide-shim: no such file"));

        assertThat(api.errors()).isEmpty();
        assertThat(api.getMessage()).isEqualTo("cannot launch blk: cannot start orchide-shim: no such file");
    }
}
