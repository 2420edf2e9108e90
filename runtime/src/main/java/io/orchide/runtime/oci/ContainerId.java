package io.orchide.runtime.oci;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The container id of a workload: derived from its run directory, stable across agent restarts. */
public final class ContainerId {
    private ContainerId() {
    }

    /** {@code orchide-<dir name, safe chars>-<8 hex of the absolute path>}, at most 64 characters. */
    public static String of(Path runDir) {
        Path abs = runDir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
        String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.length() > 40) safe = safe.substring(0, 40);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(abs.toString().getBytes(StandardCharsets.UTF_8));
            return "orchide-" + safe + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
