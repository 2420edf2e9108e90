package io.orchide.node.inference;

import io.orchide.model.Manifests;
import io.orchide.model.Model;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example model shipped in {@code examples/models} is the one {@link CloudMaskModel} defines, byte for byte, and
 * its Model manifest names its digest. {@code -Dorchide.example.write=true} rewrites both from the definition.
 */
class ExampleModelTest {
    static final Path DIR = Path.of("..", "examples", "models");

    @Test
    void theShippedModelIsTheDefinedOneAndItsManifestNamesItsDigest() throws Exception {
        byte[] defined = CloudMaskModel.bytes(0.5f);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(defined));
        if (Boolean.getBoolean("orchide.example.write")) {
            Files.write(DIR.resolve("cloud-mask.onnx"), defined);
            String yaml = Files.readString(DIR.resolve("cloud-mask.yaml"));
            Files.writeString(DIR.resolve("cloud-mask.yaml"), yaml.replaceAll("sha256:[0-9a-f]{64}", digest));
        }
        assertThat(Files.readAllBytes(DIR.resolve("cloud-mask.onnx"))).isEqualTo(defined);
        Model m = Manifests.parseModel(Files.readString(DIR.resolve("cloud-mask.yaml")));
        assertThat(m.spec().digest()).isEqualTo(digest);

        try (ModelRunner r = OnnxRunner.FACTORY.load(defined)) {
            float[] scene = new float[64];
            for (int i = 0; i < 64; i++) scene[i] = i < 16 ? 0.9f : 0.1f; // the top quarter is cloud
            Map<String, Tensor> out = r.run("scene", new Tensor(new long[]{1, 1, 8, 8}, scene));
            assertThat(out.get("cloud_fraction").data()).containsExactly(0.25f);
        }
    }
}
