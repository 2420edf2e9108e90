package io.orchide.runtime.solo5;

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
import java.util.Optional;

/**
 * Just enough of ELF64 (little-endian: x86_64, aarch64) to find an image's architecture and its notes: notes are
 * read from PT_NOTE segments, as Solo5's tenders do, and from SHT_NOTE sections when there are none.
 */
public final class ElfFile {
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;
    private static final int PT_NOTE = 4;
    private static final int SHT_NOTE = 7;
    private static final long MAX_NOTE_AREA = 1 << 20;

    /** One ELF note: owner name, type and descriptor bytes; {@code descOffset} is where desc starts relative to the note. */
    public record Note(String name, int type, byte[] desc, int descOffset) {
    }

    private final Path path;
    private final int machine;
    private final List<Note> notes;

    private ElfFile(Path path, int machine, List<Note> notes) {
        this.path = path;
        this.machine = machine;
        this.notes = notes;
    }

    /** Parses {@code path}; throws {@link ElfException} when it is not a little-endian ELF64 file. */
    public static ElfFile read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer eh = read(ch, 0, 64);
            if (eh.getInt(0) != 0x464c457f) throw new ElfException(path + " is not an ELF file");
            if (eh.get(4) != 2) throw new ElfException(path + " is not a 64-bit ELF file");
            if (eh.get(5) != 1) throw new ElfException(path + " is not a little-endian ELF file");
            int machine = eh.getShort(18) & 0xffff;
            long phoff = eh.getLong(32), shoff = eh.getLong(40);
            int phentsize = eh.getShort(54) & 0xffff, phnum = eh.getShort(56) & 0xffff;
            int shentsize = eh.getShort(58) & 0xffff, shnum = eh.getShort(60) & 0xffff;
            List<Note> notes = new ArrayList<>();
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(ch, phoff + (long) i * phentsize, 56);
                if (ph.getInt(0) == PT_NOTE) parseNotes(read(ch, ph.getLong(8), size(ph.getLong(32))), notes);
            }
            if (notes.isEmpty()) {
                for (int i = 0; i < shnum; i++) {
                    ByteBuffer sh = read(ch, shoff + (long) i * shentsize, 64);
                    if (sh.getInt(4) == SHT_NOTE) parseNotes(read(ch, sh.getLong(24), size(sh.getLong(32))), notes);
                }
            }
            return new ElfFile(path, machine, List.copyOf(notes));
        }
    }

    public Path path() { return path; }

    public int machine() { return machine; }

    /** The architecture the image is built for, if it is one Orchide knows. */
    public Optional<Arch> arch() {
        return switch (machine) {
            case EM_X86_64 -> Optional.of(Arch.X86_64);
            case EM_AARCH64 -> Optional.of(Arch.AARCH64);
            default -> Optional.empty();
        };
    }

    public List<Note> notes() { return notes; }

    /** The first note with this owner and type. */
    public Optional<Note> note(String name, int type) {
        return notes.stream().filter(n -> n.name().equals(name) && n.type() == type).findFirst();
    }

    private static void parseNotes(ByteBuffer b, List<Note> out) {
        int pos = 0;
        while (pos + 12 <= b.limit()) {
            int namesz = b.getInt(pos), descsz = b.getInt(pos + 4), type = b.getInt(pos + 8);
            int nameStart = pos + 12;
            int descStart = nameStart + align4(namesz);
            if (namesz < 0 || descsz < 0 || descStart + (long) descsz > b.limit()) return;
            int nameLen = namesz > 0 && b.get(nameStart + namesz - 1) == 0 ? namesz - 1 : namesz;
            byte[] name = new byte[nameLen];
            b.get(nameStart, name);
            byte[] desc = new byte[descsz];
            b.get(descStart, desc);
            out.add(new Note(new String(name, StandardCharsets.US_ASCII), type, desc, descStart - pos));
            pos = descStart + align4(descsz);
        }
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static int size(long n) throws ElfException {
        if (n < 0 || n > MAX_NOTE_AREA) throw new ElfException("note area of " + n + " bytes is out of range");
        return (int) n;
    }

    private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
        if (at < 0 || at + n > ch.size()) throw new ElfException("truncated ELF file (wanted " + n + " bytes at " + at + ")");
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) throw new ElfException("truncated ELF file");
        }
        return b.flip();
    }

    /** The file is not an ELF64 little-endian image or is malformed. */
    public static final class ElfException extends IOException {
        public ElfException(String message) {
            super(message);
        }
    }
}
