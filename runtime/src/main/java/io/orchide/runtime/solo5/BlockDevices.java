package io.orchide.runtime.solo5;

import io.orchide.model.AppSpec;
import io.orchide.model.Mount;
import io.orchide.runtime.LaunchException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Matches the devices a Solo5 image declares with the App's inputs and outputs by name. Each block device is a
 * file on the host: an input must exist; an output is created with {@code sizeMiB} when absent. Every declared
 * device must be attached, and every input/output must name a declared device.
 *
 * <p>Solo5 block devices are always read-write, so an input is never handed to the guest: the guest gets its own
 * copy in the run directory ({@code blocks/<name>.img}), and the user's file stays as it was whatever the guest
 * writes. The copy is made with {@link Files#copy}, which on Linux asks the kernel ({@code copy_file_range}), so
 * a filesystem that can share extents (btrfs, XFS) clones instead of copying bytes.
 */
public final class BlockDevices {
    /** An attachment: {@code --block:<name>=<file>}. */
    public record Block(String name, Path file) {
    }

    private BlockDevices() {
    }

    /** Directory of the run directory holding the guest's copies of its input block devices. */
    public static final String COPIES = "blocks";

    public static List<Block> attach(Solo5Manifest manifest, AppSpec spec, Path runDir) throws LaunchException {
        List<String> declared = manifest.devices().stream().map(Solo5Manifest.Device::name).toList();
        for (Solo5Manifest.Device d : manifest.devices()) {
            if (d.type() != Solo5Manifest.Type.BLOCK_BASIC)
                throw new LaunchException("spec.image", d.name(), "the image declares " + d.type() + " device '"
                        + d.name() + "'; only block devices are supported by this node yet");
        }
        checkNamed(spec.inputs(), "spec.inputs", declared);
        checkNamed(spec.outputs(), "spec.outputs", declared);
        List<Block> blocks = new ArrayList<>();
        for (Solo5Manifest.Device d : manifest.devices()) {
            int in = indexOf(spec.inputs(), d.name()), out = indexOf(spec.outputs(), d.name());
            if (in < 0 && out < 0)
                throw new LaunchException("spec.inputs", d.name(), "the image declares block device '" + d.name()
                        + "' but no input or output is named so (declared: " + String.join(", ", declared) + ")");
            blocks.add(in >= 0 ? input(spec.inputs().get(in), "spec.inputs[" + in + "]", runDir)
                    : output(spec.outputs().get(out), "spec.outputs[" + out + "]"));
        }
        return blocks;
    }

    private static void checkNamed(List<Mount> mounts, String base, List<String> declared) throws LaunchException {
        for (int i = 0; i < mounts.size(); i++) {
            String name = mounts.get(i).name();
            if (name == null || !declared.contains(name))
                throw new LaunchException(base + "[" + i + "].name", name, "the image declares no such block device"
                        + " (declared: " + (declared.isEmpty() ? "none" : declared.stream().collect(Collectors.joining(", "))) + ")");
        }
    }

    private static int indexOf(List<Mount> mounts, String name) {
        for (int i = 0; i < mounts.size(); i++) if (name.equals(mounts.get(i).name())) return i;
        return -1;
    }

    private static Block input(Mount m, String field, Path runDir) throws LaunchException {
        Path f = path(m, field);
        if (!Files.isRegularFile(f))
            throw new LaunchException(field + ".path", m.path(), "block device file does not exist on this node");
        if (!Files.isReadable(f))
            throw new LaunchException(field + ".path", m.path(), "block device file is not readable");
        checkSize(f, m, field);
        Path copy = runDir.resolve(COPIES).resolve(m.name().replaceAll("[^A-Za-z0-9_-]", "_") + ".img").toAbsolutePath();
        try {
            Files.createDirectories(copy.getParent());
            Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LaunchException(field + ".path", m.path(), "cannot copy the input for the guest into "
                    + copy.getParent() + ": " + e.getMessage(), e);
        }
        return new Block(m.name(), copy);
    }

    private static Block output(Mount m, String field) throws LaunchException {
        Path f = path(m, field);
        if (!Files.exists(f)) {
            if (m.sizeMiB() <= 0)
                throw new LaunchException(field + ".sizeMiB", Integer.toString(m.sizeMiB()),
                        "needed to create the block device file " + m.path());
            try {
                Files.createDirectories(f.toAbsolutePath().getParent());
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.setLength((long) m.sizeMiB() << 20);
                }
            } catch (IOException e) {
                throw new LaunchException(field + ".path", m.path(), "cannot create block device file: " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(f) || !Files.isWritable(f))
            throw new LaunchException(field + ".path", m.path(), "block device file is not a writable regular file");
        checkSize(f, m, field);
        return new Block(m.name(), f);
    }

    private static Path path(Mount m, String field) throws LaunchException {
        if (m.path() == null || m.path().isBlank()) throw new LaunchException(field + ".path", m.path(), "required");
        return Path.of(m.path()).toAbsolutePath().normalize();
    }

    /** Solo5 block devices are made of 512-byte sectors. */
    private static void checkSize(Path f, Mount m, String field) throws LaunchException {
        try {
            long size = Files.size(f);
            if (size == 0 || size % 512 != 0)
                throw new LaunchException(field + ".path", m.path(), "block device file size " + size
                        + " is not a non-zero multiple of 512 bytes");
        } catch (IOException e) {
            throw new LaunchException(field + ".path", m.path(), "cannot read size: " + e.getMessage(), e);
        }
    }
}
