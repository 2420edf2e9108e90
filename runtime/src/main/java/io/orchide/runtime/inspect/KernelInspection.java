package io.orchide.runtime.inspect;

import io.orchide.model.Arch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an image file's headers into a {@link KernelImage}: ELF (32 or 64 bit, either byte order: {@code e_machine},
 * section names, the Solo5 ABI1 note), the arm64 Linux Image header (magic {@code "ARM\x64"} at offset 56), the x86
 * boot protocol header ({@code "HdrS"} at 0x202), qcow2 ({@code "QFI\xfb"}) and a disk's boot sector signature
 * ({@code 0x55 0xAA} at 510). Only headers and tables are read, never the whole file; a malformed table is treated
 * as absent rather than trusted.
 */
public final class KernelInspection {
    static final int EM_386 = 3;
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;
    private static final int SHT_NOTE = 7;
    private static final int PT_NOTE = 4;
    private static final int MAX_SECTIONS = 4096;
    private static final int MAX_TABLE = 1 << 20;
    private static final int ARM64_MAGIC = 0x644d5241;

    private KernelInspection() {
    }

    public static KernelImage inspect(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = read(ch, 0, (int) Math.min(ch.size(), 1024)).order(ByteOrder.LITTLE_ENDIAN);
            int n = head.limit();
            if (n >= 20 && head.getInt(0) == 0x464c457f) return elf(ch, head);
            if (n >= 64 && head.getInt(56) == ARM64_MAGIC)
                return new KernelImage(KernelImage.Format.ARM64_IMAGE, Arch.AARCH64, 0, List.of(), null);
            if (n >= 0x206 && head.getInt(0x202) == 0x53726448)
                return new KernelImage(KernelImage.Format.BZIMAGE, Arch.X86_64, 0, List.of(), null);
            if (n >= 4 && head.getInt(0) == 0xfb494651)
                return new KernelImage(KernelImage.Format.QCOW2, null, 0, List.of(), null);
            if (n >= 512 && (head.get(510) & 0xff) == 0x55 && (head.get(511) & 0xff) == 0xaa)
                return new KernelImage(KernelImage.Format.DISK, null, 0, List.of(), null);
            return new KernelImage(KernelImage.Format.OTHER, null, 0, List.of(), null);
        }
    }

    /** The guest architecture an ELF machine runs on: a 32-bit x86 ELF is a multiboot kernel an x86_64 VM boots. */
    static Arch archOf(int machine) {
        return switch (machine) {
            case EM_386, EM_X86_64 -> Arch.X86_64;
            case EM_AARCH64 -> Arch.AARCH64;
            default -> null;
        };
    }

    private static KernelImage elf(FileChannel ch, ByteBuffer head) throws IOException {
        boolean is64 = head.get(4) == 2;
        ByteOrder order = head.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        head.order(order);
        int machine = head.getShort(18) & 0xffff;
        KernelImage.Format format = is64 ? KernelImage.Format.ELF64 : KernelImage.Format.ELF32;
        Elf e = new Elf(ch, order, is64);
        List<String> sections = new ArrayList<>();
        List<ByteBuffer> noteAreas = new ArrayList<>();
        if (head.limit() >= (is64 ? 64 : 52)) {
            e.sections(head, sections, noteAreas);
            if (noteAreas.isEmpty()) e.noteSegments(head, noteAreas);
        }
        Solo5Target solo5 = null;
        for (ByteBuffer area : noteAreas) {
            solo5 = solo5Target(area.order(order));
            if (solo5 != null) break;
        }
        return new KernelImage(format, archOf(machine), machine, sections, solo5);
    }

    private record Elf(FileChannel ch, ByteOrder order, boolean is64) {
        long word(ByteBuffer b, int at32, int at64) {
            return is64 ? b.getLong(at64) : b.getInt(at32) & 0xffffffffL;
        }

        void sections(ByteBuffer head, List<String> names, List<ByteBuffer> notes) throws IOException {
            long shoff = word(head, 32, 40);
            int shentsize = head.getShort(is64 ? 58 : 46) & 0xffff;
            int shnum = head.getShort(is64 ? 60 : 48) & 0xffff;
            int shstrndx = head.getShort(is64 ? 62 : 50) & 0xffff;
            if (shoff == 0 || shnum == 0 || shnum > MAX_SECTIONS || shentsize < (is64 ? 64 : 40)) return;
            if (shoff + (long) shnum * shentsize > ch.size()) return;
            ByteBuffer table = read(ch, shoff, shnum * shentsize).order(order);
            ByteBuffer strings = shstrndx < shnum ? area(table, shstrndx * shentsize) : null;
            for (int i = 0; i < shnum; i++) {
                int at = i * shentsize;
                if (strings != null) {
                    int nameOff = table.getInt(at);
                    if (nameOff > 0 && nameOff < strings.limit()) names.add(cString(strings, nameOff));
                }
                if (table.getInt(at + 4) == SHT_NOTE) {
                    ByteBuffer a = area(table, at);
                    if (a != null) notes.add(a);
                }
            }
        }

        void noteSegments(ByteBuffer head, List<ByteBuffer> notes) throws IOException {
            long phoff = word(head, 28, 32);
            int phentsize = head.getShort(is64 ? 54 : 42) & 0xffff;
            int phnum = head.getShort(is64 ? 56 : 44) & 0xffff;
            if (phoff == 0 || phnum == 0 || phnum > MAX_SECTIONS || phentsize < (is64 ? 56 : 32)) return;
            if (phoff + (long) phnum * phentsize > ch.size()) return;
            ByteBuffer table = read(ch, phoff, phnum * phentsize).order(order);
            for (int i = 0; i < phnum; i++) {
                int at = i * phentsize;
                if (table.getInt(at) != PT_NOTE) continue;
                long off = is64 ? table.getLong(at + 8) : table.getInt(at + 4) & 0xffffffffL;
                long size = is64 ? table.getLong(at + 32) : table.getInt(at + 16) & 0xffffffffL;
                if (size > 0 && size <= MAX_TABLE && off >= 0 && off + size <= ch.size()) notes.add(read(ch, off, (int) size));
            }
        }

        /** The bytes a section header points at, null when they are out of the file or too large to be a table. */
        private ByteBuffer area(ByteBuffer table, int at) throws IOException {
            long off = is64 ? table.getLong(at + 24) : table.getInt(at + 16) & 0xffffffffL;
            long size = is64 ? table.getLong(at + 32) : table.getInt(at + 20) & 0xffffffffL;
            if (size <= 0 || size > MAX_TABLE || off < 0 || off + size > ch.size()) return null;
            return read(ch, off, (int) size).order(order);
        }
    }

    /** The target of a Solo5 ABI1 note in a note area, null when there is none. */
    private static Solo5Target solo5Target(ByteBuffer b) {
        int pos = 0;
        while (pos + 12 <= b.limit()) {
            int namesz = b.getInt(pos), descsz = b.getInt(pos + 4), type = b.getInt(pos + 8);
            if (namesz < 0 || descsz < 0) return null;
            int name = pos + 12;
            long desc = name + align4(namesz);
            if (desc + descsz > b.limit()) return null;
            String owner = cString(b.duplicate().limit(name + namesz), name);
            if (type == Solo5Target.NOTE_TYPE && owner.equals(Solo5Target.NOTE_NAME) && descsz >= 4)
                return Solo5Target.of(b.getInt((int) desc)).orElse(null);
            pos = (int) desc + align4(descsz);
        }
        return null;
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (end < b.limit() && b.get(end) != 0) end++;
        byte[] s = new byte[end - at];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) break;
        }
        return b.flip();
    }
}
