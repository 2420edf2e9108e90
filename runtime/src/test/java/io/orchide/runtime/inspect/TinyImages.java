package io.orchide.runtime.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Crafted image headers: minimal little-endian ELF files with chosen sections, and the first bytes of other formats. */
public final class TinyImages {
    private TinyImages() {
    }

    /** A section: its name, ELF type (1 PROGBITS, 7 NOTE) and contents. */
    public record Section(String name, int type, byte[] data) {
        public static Section progbits(String name) {
            return new Section(name, 1, new byte[8]);
        }
    }

    /** An ELF file header, the sections' contents, a section name table and the section header table. */
    public static byte[] elf(boolean is64, int machine, Section... sections) {
        int ehsize = is64 ? 64 : 52, shentsize = is64 ? 64 : 40;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<Section, Integer> offsets = new LinkedHashMap<>();
        for (Section s : sections) {
            offsets.put(s, ehsize + body.size());
            body.writeBytes(s.data());
            while (body.size() % 8 != 0) body.write(0);
        }
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        names.write(0);
        int[] nameOff = new int[sections.length + 1];
        for (int i = 0; i < sections.length; i++) {
            nameOff[i] = names.size();
            names.writeBytes((sections[i].name() + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        nameOff[sections.length] = names.size();
        names.writeBytes(".shstrtab\0".getBytes(StandardCharsets.US_ASCII));
        int strOff = ehsize + body.size();
        body.writeBytes(names.toByteArray());
        while (body.size() % 8 != 0) body.write(0);
        int shoff = ehsize + body.size();
        int shnum = sections.length + 2;   // the null section, the given ones, .shstrtab
        ByteBuffer b = ByteBuffer.allocate(shoff + shnum * shentsize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) machine).putInt(20, 1);
        if (is64) {
            b.putLong(40, shoff).putShort(52, (short) ehsize).putShort(58, (short) shentsize)
                    .putShort(60, (short) shnum).putShort(62, (short) (shnum - 1));
        } else {
            b.putInt(32, shoff).putShort(40, (short) ehsize).putShort(46, (short) shentsize)
                    .putShort(48, (short) shnum).putShort(50, (short) (shnum - 1));
        }
        b.put(ehsize, body.toByteArray());
        for (int i = 0; i <= sections.length; i++) {
            int at = shoff + (i + 1) * shentsize;
            boolean strtab = i == sections.length;
            int type = strtab ? 3 : sections[i].type();
            int off = strtab ? strOff : offsets.get(sections[i]);
            int size = strtab ? names.size() : sections[i].data().length;
            b.putInt(at, nameOff[i]).putInt(at + 4, type);
            if (is64) b.putLong(at + 24, off).putLong(at + 32, size);
            else b.putInt(at + 16, off).putInt(at + 20, size);
        }
        return b.array();
    }

    /** A Solo5 ABI1 note as the bindings declare it (section {@code .note.solo5.abi}). */
    public static Section solo5Abi(int target) {
        ByteBuffer n = ByteBuffer.allocate(12 + 8 + 16).order(ByteOrder.LITTLE_ENDIAN);
        n.putInt(6).putInt(16).putInt(0x31494241).put("Solo5\0\0\0".getBytes(StandardCharsets.US_ASCII));
        n.putInt(target).putInt(1).putInt(0).putInt(0);
        return new Section(".note.solo5.abi", 7, n.array());
    }

    /** The 64-byte header of an arm64 Linux Image followed by some code. */
    public static byte[] arm64Image() {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x91005a4d).putLong(8, 0x80000).putLong(16, 4096).putInt(56, 0x644d5241);
        return b.array();
    }

    /** A raw disk whose first sector ends with the boot signature. */
    public static byte[] bootDisk() {
        byte[] b = new byte[4096];
        b[510] = 0x55;
        b[511] = (byte) 0xaa;
        return b;
    }

    public static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes);
    }
}
