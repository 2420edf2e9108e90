package io.orchide.runtime.solo5;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The devices a Solo5 image declares: its {@code MFT1} note (owner "Solo5", type 0x3154464d, section
 * {@code .note.solo5.manifest}). The descriptor holds {@code struct mft} at an 8-byte aligned offset from the
 * start of the note: {@code uint32 version (1), uint32 entries, entries x struct mft_entry}. Entry layouts differ
 * between Solo5 releases; the one whose size matches the note is used:
 * <ul>
 *   <li>0.6 and later: 104-byte entries, {@code char name[68]}, {@code uint32 type} (1 block, 2 net, 1&lt;&lt;30 the
 *       reserved first entry);</li>
 *   <li>with PCI devices: a {@code size_t dma_size} after the header, 200-byte entries, type 3 PCI;</li>
 *   <li>0.4/0.5: 64-byte entries, {@code char name[32]}, type 0 block, 1 net.</li>
 * </ul>
 */
public record Solo5Manifest(int version, List<Device> devices) {
    public static final String NOTE_NAME = "Solo5";
    public static final int NOTE_TYPE = 0x3154464d;
    static final int MAX_ENTRIES = 64;

    public Solo5Manifest {
        devices = List.copyOf(devices);
    }

    /** Kinds of device a manifest declares. */
    public enum Type { BLOCK_BASIC, NET_BASIC, PCI_BASIC }

    /** A declared device: the name the tender attaches it by. */
    public record Device(String name, Type type) {
    }

    private record Layout(int header, int entry, int nameSize, int block, int net, int pci, boolean reservedFirst) {
    }

    private static final List<Layout> LAYOUTS = List.of(
            new Layout(8, 104, 68, 1, 2, -1, true),
            new Layout(16, 200, 68, 1, 2, 3, true),
            new Layout(8, 64, 32, 0, 1, -1, false));

    /** The manifest of an ELF image, empty when it has no Solo5 manifest note. */
    public static Optional<Solo5Manifest> of(ElfFile elf) throws ElfFile.ElfException {
        Optional<ElfFile.Note> note = elf.note(NOTE_NAME, NOTE_TYPE);
        if (note.isEmpty()) return Optional.empty();
        return Optional.of(parse(note.get()));
    }

    static Solo5Manifest parse(ElfFile.Note note) throws ElfFile.ElfException {
        int pad = ((note.descOffset() + 7) & ~7) - note.descOffset();
        int size = note.desc().length - pad;
        if (size < 8) throw new ElfFile.ElfException("Solo5 manifest note too short (" + note.desc().length + " bytes)");
        ByteBuffer b = ByteBuffer.wrap(note.desc(), pad, size).slice().order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(0);
        int entries = b.getInt(4);
        if (version != 1) throw new ElfFile.ElfException("unsupported Solo5 manifest version " + version);
        if (entries < 0 || entries > MAX_ENTRIES)
            throw new ElfFile.ElfException("Solo5 manifest declares " + entries + " entries (at most " + MAX_ENTRIES + ")");
        Layout layout = LAYOUTS.stream().filter(l -> l.header() + (long) entries * l.entry() == size).findFirst()
                .orElseThrow(() -> new ElfFile.ElfException("Solo5 manifest of " + size + " bytes for " + entries
                        + " entries matches no known layout"));
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            int at = layout.header() + i * layout.entry();
            int type = b.getInt(at + layout.nameSize());
            String name = cString(b, at, layout.nameSize());
            if (layout.reservedFirst() && i == 0) {
                if (type != 1 << 30) throw new ElfFile.ElfException("Solo5 manifest lacks its reserved first entry");
                continue;
            }
            Type t = type == layout.block() ? Type.BLOCK_BASIC : type == layout.net() ? Type.NET_BASIC
                    : type == layout.pci() ? Type.PCI_BASIC : null;
            if (t == null) throw new ElfFile.ElfException("Solo5 manifest entry '" + name + "' has unknown type " + type);
            devices.add(new Device(name, t));
        }
        return new Solo5Manifest(version, devices);
    }

    private static String cString(ByteBuffer b, int at, int max) {
        int n = 0;
        while (n < max && b.get(at + n) != 0) n++;
        byte[] s = new byte[n];
        b.get(at, s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
