package io.orchide.model;

/**
 * An environment variable's value taken from key {@code key} of Secret {@code secret} (of the workload's own tenant)
 * when the workload starts; the manifest names the secret, never holds its value.
 */
public record SecretRef(String secret, String key) {
    @Override public String toString() {
        return secret + "/" + key;
    }
}
