package io.orchide.node.inference;

/** The example cloud detector's bytes, for tests outside this package. */
public final class CloudMaskModelFile {
    private CloudMaskModelFile() {
    }

    /** The model with threshold 0.5. */
    public static byte[] bytes() {
        return CloudMaskModel.bytes(0.5f);
    }
}
