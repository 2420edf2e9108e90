package io.orchide.model;

/**
 * {@code spec.secretMounts[i]}: the keys of Secret {@code secret} (of the App's tenant), each a file named after its
 * key in the directory {@code mountPath} inside the workload, on a tmpfs, read-only; never on a disk in clear.
 */
public record SecretMount(String secret, String mountPath) {
}
