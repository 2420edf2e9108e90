package io.orchide.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.runtime.JsonFiles;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How an OCI image built for urunc says it holds a unikernel: the {@code com.urunc.unikernel.*} keys, found in the
 * manifest annotations, the image config labels, or a {@code /urunc.json} file in the rootfs. Values may be
 * base64-encoded: with a {@code b64:} prefix anywhere, or bare in urunc.json (the older encoding, accepted when it
 * decodes to valid UTF-8, as urunc does).
 *
 * @param unikernelType e.g. unikraft, mirage, rumprun
 * @param hypervisor    qemu, hvt, spt, firecracker
 * @param binary        path of the kernel inside the rootfs
 * @param cmdline       the unikernel's command line, or null
 * @param initrd        path of the initrd inside the rootfs, or null
 * @param block         path of a block image inside the rootfs, or null
 */
public record UruncImage(String unikernelType, String hypervisor, String binary, String cmdline, String initrd,
                         String block) {
    public static final String PREFIX = "com.urunc.unikernel.";
    public static final String TYPE = PREFIX + "unikernelType";
    public static final String HYPERVISOR = PREFIX + "hypervisor";
    public static final String BINARY = PREFIX + "binary";
    public static final String CMDLINE = PREFIX + "cmdline";
    public static final String INITRD = PREFIX + "initrd";
    public static final String BLOCK = PREFIX + "block";
    /** The metadata file urunc reads from the root of the rootfs when the annotations are absent. */
    public static final String JSON_FILE = "urunc.json";

    /** The keys as annotations, plain text, leaving out those without a value. */
    public Map<String, String> annotations() {
        Map<String, String> out = new java.util.TreeMap<>();
        out.put(TYPE, unikernelType);
        out.put(HYPERVISOR, hypervisor);
        out.put(BINARY, binary);
        if (cmdline != null) out.put(CMDLINE, cmdline);
        if (initrd != null) out.put(INITRD, initrd);
        if (block != null) out.put(BLOCK, block);
        return out;
    }

    /** Reads the keys from annotations or labels; empty when type, hypervisor or binary is missing. */
    public static Optional<UruncImage> fromAnnotations(Map<String, String> annotations) {
        return from(annotations, false);
    }

    /**
     * The keys an OCI image layout carries in its manifest annotations or config labels (not those of a
     * {@code urunc.json} inside its layers, which only unpacking finds); empty when {@code dir} is no layout or
     * carries none.
     */
    public static Optional<UruncImage> ofLayout(Path dir, String ociArch) throws IOException {
        if (!OciImageLayout.isLayout(dir)) return Optional.empty();
        OciImageLayout layout = OciImageLayout.open(dir, ociArch);
        return fromAnnotations(layout.annotations()).or(() -> fromAnnotations(layout.config().labels()));
    }

    /** Reads {@code rootfs/urunc.json}; empty when absent or incomplete. */
    public static Optional<UruncImage> fromRootfs(Path rootfs) throws IOException {
        Path file = rootfs.resolve(JSON_FILE);
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        JsonNode json = JsonFiles.read(file);
        Map<String, String> kv = new HashMap<>();
        json.properties().forEach(e -> kv.put(e.getKey(), e.getValue().asText()));
        return from(kv, true);
    }

    private static Optional<UruncImage> from(Map<String, String> kv, boolean bareBase64) {
        String type = value(kv, TYPE, bareBase64);
        String hypervisor = value(kv, HYPERVISOR, bareBase64);
        String binary = value(kv, BINARY, bareBase64);
        if (type == null || hypervisor == null || binary == null) return Optional.empty();
        return Optional.of(new UruncImage(type, hypervisor, binary, value(kv, CMDLINE, bareBase64),
                value(kv, INITRD, bareBase64), value(kv, BLOCK, bareBase64)));
    }

    private static String value(Map<String, String> kv, String key, boolean bareBase64) {
        String v = kv.get(key);
        if (v == null || v.isBlank()) return null;
        String d = decode(v, bareBase64);
        return d.isBlank() ? null : d;
    }

    private static String decode(String v, boolean bareBase64) {
        if (v.startsWith("b64:")) {
            try {
                return new String(Base64.getDecoder().decode(v.substring(4)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return v;
            }
        }
        if (bareBase64) {
            try {
                byte[] raw = Base64.getDecoder().decode(v);
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (IllegalArgumentException | CharacterCodingException e) {
                return v; // plain text
            }
        }
        return v;
    }
}
