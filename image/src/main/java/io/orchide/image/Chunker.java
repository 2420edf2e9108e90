package io.orchide.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Content-defined chunking, FastCDC with normalised chunking (level 2) over a 64-bit gear hash.
 *
 * <p>Cut points depend only on the bytes of the last 64 positions, so an insertion or deletion moves only the
 * boundaries next to it and every chunk after it is shared again. The gear table is fixed in this source (SplitMix64
 * from the seed {@link #GEAR_SEED}), so ground and node always cut the same bytes the same way; changing the table or
 * the sizes changes every manifest, so don't.
 *
 * <p>Streaming: {@link #split(InputStream, ChunkConsumer)} holds at most a few maximum-size chunks in memory whatever
 * the size of the image.
 */
public final class Chunker {
    /** 2 KiB / 8 KiB / 64 KiB: a 100 KB change in a 10 MB image re-sends about 110 to 130 KB (see docs/PERFORMANCE.md). */
    public static final Chunker DEFAULT = new Chunker(2 * 1024, 8 * 1024, 64 * 1024);

    /** The seed of the SplitMix64 sequence that produced {@link #GEAR} ("ORCHIDE1"). */
    public static final long GEAR_SEED = 0x4F52434849444531L;

    /** Receives each chunk in order; {@code data} is only valid during the call. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(byte[] data, int offset, int length) throws IOException;
    }

    private final int min;
    private final int avg;
    private final int max;
    private final long maskSmall;   // avg bits + 2: hard to match before the average size
    private final long maskLarge;   // avg bits - 2: easy to match after it

    public Chunker(int min, int avg, int max) {
        if (Integer.bitCount(avg) != 1 || avg < 256) {
            throw new IllegalArgumentException("avg must be a power of two >= 256, got " + avg);
        }
        if (min < 64 || min >= avg || max <= avg || max > ChunkRef.MAX_SIZE) {
            throw new IllegalArgumentException("need 64 <= min < avg < max <= " + ChunkRef.MAX_SIZE + ", got "
                    + min + "/" + avg + "/" + max);
        }
        this.min = min;
        this.avg = avg;
        this.max = max;
        int bits = Integer.numberOfTrailingZeros(avg);
        this.maskSmall = topBits(bits + 2);
        this.maskLarge = topBits(bits - 2);
    }

    /** The {@code n} highest bits: with {@code fp = (fp << 1) + gear[b]} they depend on the last 64 bytes. */
    private static long topBits(int n) {
        return -1L << (64 - n);
    }

    public int minSize() {
        return min;
    }

    public int avgSize() {
        return avg;
    }

    public int maxSize() {
        return max;
    }

    /** Length of the chunk that starts at {@code buf[off]}, given {@code len} bytes available (all the rest at EOF). */
    public int cut(byte[] buf, int off, int len) {
        if (len <= min) {
            return len;
        }
        int n = Math.min(len, max);
        int normal = Math.min(avg, n);
        long fp = 0;
        int i = min;
        for (; i < normal; i++) {
            fp = (fp << 1) + GEAR[buf[off + i] & 0xff];
            if ((fp & maskSmall) == 0) {
                return i + 1;
            }
        }
        for (; i < n; i++) {
            fp = (fp << 1) + GEAR[buf[off + i] & 0xff];
            if ((fp & maskLarge) == 0) {
                return i + 1;
            }
        }
        return n;
    }

    /** Splits the stream into chunks, reading it once; returns the number of bytes read. */
    public long split(InputStream in, ChunkConsumer consumer) throws IOException {
        byte[] buf = new byte[max * 4];
        int start = 0;
        int end = 0;
        long total = 0;
        boolean eof = false;
        while (true) {
            if (end - start < max && !eof) {
                if (buf.length - start < max) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                while (end - start < max) {
                    int r = in.read(buf, end, buf.length - end);
                    if (r < 0) {
                        eof = true;
                        break;
                    }
                    end += r;
                }
            }
            if (end == start) {
                return total;
            }
            int len = cut(buf, start, end - start);
            consumer.accept(buf, start, len);
            start += len;
            total += len;
        }
    }

    /** The chunk lengths of a whole byte array (for tests and small inputs). */
    public List<Integer> lengths(byte[] data) {
        List<Integer> out = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            int len = cut(data, off, data.length - off);
            out.add(len);
            off += len;
        }
        return out;
    }

    /** Splits a file, streaming it. */
    public long split(Path file, ChunkConsumer consumer) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return split(in, consumer);
        }
    }

    /** SplitMix64 from {@link #GEAR_SEED}, 256 values; {@code ChunkerTest} regenerates it and compares. */
    static final long[] GEAR = {
            0x94458e6ea5a17247L, 0x1dd9925f60b8c503L, 0xc8dde4f590790bc9L, 0xa95bf168d2b0e227L,
            0xe4f1afdc34c7a05eL, 0x623956755685f807L, 0xff0ff8077acbbe0cL, 0xe46566ce405b4fedL,
            0x87f952285cdac37cL, 0x2224d5102960b3c4L, 0xadf102c1739afd34L, 0x3dfd781f42f8d924L,
            0xb1445859f3206b32L, 0xbe04ca58e8d16071L, 0x67bd7f780453cb95L, 0xa7d04ae0d4ea1da2L,
            0xd434cec520b5e72fL, 0xb4edde4aa60b84edL, 0x4d6c00eae89fc094L, 0x89c93de3941fceb0L,
            0xa78cdd9c2ca159ecL, 0xf1b28f2d8a317af2L, 0x03514fa93b569c93L, 0xd04b21d68f4b498aL,
            0x063ecd92d4728621L, 0x0a2a04faa1d5528bL, 0x07476890ea616670L, 0x825f97dc77d250b7L,
            0xc96d54b8c6669475L, 0xd39defdbaaae0e87L, 0x7c6a3664f39c11f8L, 0x3d4f57d10ef5800bL,
            0xdaba112028b0d774L, 0x5cf8a5b7803d6c05L, 0x59910e1fd67e13d4L, 0xbc67a5897d08e00cL,
            0xfbb36275bace7569L, 0xaabcea1f831f3f21L, 0x12ec4b0d159f05dfL, 0x9c7379dd6a9d9b96L,
            0x82491e353618ae2eL, 0xb5b3b7bd4cda31baL, 0x26efef291ef42cd1L, 0x6dd552f3014cc6fcL,
            0x5b22e8aa2c72ea74L, 0xe6950bc90fb46cabL, 0xbbeb1211f5934fe2L, 0xffabdf49a72e6717L,
            0xdbd040fb36640799L, 0x1cc65151c7d11a9dL, 0x92b4f7b20f82dc10L, 0x0143d4bb9df4f52bL,
            0xd650fb157a11b8bcL, 0xf6e98a4d6e46ba0cL, 0x3bc8e0b18b041112L, 0xbcc9a014a31d4eb8L,
            0xf78fee1037067671L, 0xc1627eaceca64db2L, 0x4d679baac933fc11L, 0x7f6156746cc2c339L,
            0x882a3643d29bef15L, 0x6e36abe723989f92L, 0x89c296a86c78613dL, 0x960023578bb55b93L,
            0xff743fdf0380cb98L, 0xc79691f77a73837eL, 0x264d7118c5d831f7L, 0x93d3501999441c1cL,
            0x1ca8597d6677beaeL, 0x2328a19960853bd2L, 0x0adf249a112c25c7L, 0xa4e6ca7c1801a392L,
            0x071e5fa7eda69b52L, 0x958f731fb2d64078L, 0x43ccc391c0bf5d0fL, 0x86dd08cc248b3fafL,
            0x4b93beddd2a08079L, 0x42c7bccc61d55d04L, 0x0e121dcedebabd1fL, 0x98aa509e12274952L,
            0xb0690bd64ef5c5f6L, 0xfdeb9e14b6326c16L, 0x0181590f530c8fb7L, 0xff478256e9cddf36L,
            0x870208cbe8209dfdL, 0x9a2e79e17261db57L, 0x1ea3ed1be1ece1aaL, 0x6ea90ccd3b2b6424L,
            0x28fe823167536e37L, 0x3e7fea0997e48f79L, 0x5d248b65baf0c3b5L, 0xc6d30148f7986885L,
            0xead6e391527b27b4L, 0x9ac4a0618d05e852L, 0x430bc44392697b60L, 0xb932fb974b8ff4abL,
            0x4c3c6cff7908adecL, 0x3022cf154eb7282bL, 0x2a43096f6cfce354L, 0xc1d4532fdd4fc705L,
            0xeb9a424326097fd8L, 0x115e887f2d5917c5L, 0xa377a28c84da5e07L, 0xa8f4d2898492d69dL,
            0x4b1b6d35b9ada268L, 0x9eda2146c1f5aa36L, 0x2afba99766debf13L, 0x74d0cafb3ba076caL,
            0x26aaae8dc397cf5fL, 0x1ff0ee4675af508dL, 0x208d970f7df35f35L, 0xed0dc30f4cafbb62L,
            0xba59ab58eedb6ffbL, 0xbf9091fb42d36cf5L, 0x502699f077846e44L, 0x3c91d5b24328f73bL,
            0xe4acd228f3d6adc4L, 0xfc8d6f68c3f7f5e8L, 0x94e23039be26f2c5L, 0x6f92d6a6d8db61b4L,
            0xbb82b9553c46717aL, 0x313e3d851beaa346L, 0x0a035f37f3c77b2eL, 0xd3bfc8ff2ab8f3daL,
            0x8f6b906d8a206c12L, 0xa92c8ecf34c8cbbfL, 0xbad68e76b90f1fa9L, 0xdaa34e97ec58628dL,
            0x7e407f09fbe73922L, 0x883fd031d33bb8b9L, 0x6d1d1b8fcf5d4ab3L, 0x8bf045f0167e2b8cL,
            0xf96bd043781e5ffbL, 0x8d2914ad37ec6948L, 0xbbfd903593b1d0eaL, 0x6a727a7a6aed6b5eL,
            0xe485cd13a6b53ae6L, 0xd4077e499f98a484L, 0xdece4d164f2bff0dL, 0x6a28aedd04127dd4L,
            0xb208c7ae8a33c58fL, 0x5194b193890ab6d5L, 0x0dddd45691a70c92L, 0x3a71cf89513fee9dL,
            0xceb093f0598cb8bbL, 0xec4c5f4a7969993eL, 0x54248daae1575b81L, 0xa9cee4ab7fa27f93L,
            0x278cdd104cd3bfb0L, 0xef372004ca633d99L, 0x147973c3a905b280L, 0x130967e0684c7232L,
            0x6a1f26f662edb28bL, 0xadbb9e04c635dae7L, 0xd9ab29ee6d77b4e1L, 0x91d5e08fbce4dfc3L,
            0x1b6e09bf05b5c8d5L, 0x88831b3465b47267L, 0xf84e0bfd266b208aL, 0xfa749e65aec50598L,
            0x8fe2140ddf188cdfL, 0x37d358f5eda5ff55L, 0x9bfc7a011ccd61f6L, 0xecf96ea9b26fd490L,
            0xc9b5a897a37a7360L, 0xbb8110950e3ccd81L, 0x8c9e9163f3e997ddL, 0xb3a81f6611f3adafL,
            0x1bad2e96cdbba4d3L, 0x1af32b94fac4e04fL, 0xfbc3494b3fbc6543L, 0x42037b493b1af888L,
            0x97fa5f48844e1e2dL, 0x4f1cbf113a97d35eL, 0x2cc4943da036bab8L, 0x1f1762306e58d7a3L,
            0x893001916cde5108L, 0xc2b1ea0f4d00aa43L, 0xe6a433af1ee97f2cL, 0xf638a83a3bba3aaeL,
            0x0091dab4990bfda0L, 0xa117dc19df5bc961L, 0xd04449e2bf3e61bbL, 0x67c7a36c583c992cL,
            0xaa5a545458a379fdL, 0x4f9300391c40dfd4L, 0x4eb4e293b3a8a60cL, 0x09d7e9f22ce578e0L,
            0xc0dc166c8d4820c7L, 0xa0be0044c1050990L, 0x45dafedee029904cL, 0x2c43dea0e9526c81L,
            0xfb74f8a21131c8acL, 0xfc2391d5796f065eL, 0xb7b85de15c8ace78L, 0xf080ab2685d0f1a1L,
            0x557359fe5a253547L, 0xa61d2a05e8cf79b5L, 0x351e9a855d70fea9L, 0x48bba4fe1e1a6ae6L,
            0x16a247ac7ad7e6cfL, 0x4eada3bccad2e8b3L, 0x10af604b079bede1L, 0xc3348fedea13a5e9L,
            0x13a60cc5e46b5233L, 0x2e7130b15a34822cL, 0x1bd4e00ca9beb73bL, 0x0f663a47fe68ddf1L,
            0x091d0c679d3e53b7L, 0xa89edb5b966fddfcL, 0x75f06d220bdec548L, 0xffa59cec051f781dL,
            0x49f4f871c461aedeL, 0xac09f78a9fa7a770L, 0x2c58a8379c8b094eL, 0xedd7079562bb1766L,
            0xb790d6d32ac44109L, 0x88c21ac03839be89L, 0x48cc389a5e8f6933L, 0xebeab6315cc69632L,
            0xe30a6f973a9fb928L, 0xc530667aad0f64c2L, 0xff1708d6f6d9be04L, 0xfc64e36262605055L,
            0x608ea759cc3c2ac4L, 0xd39c099124f8e693L, 0xdb0f437d3d349360L, 0x54c8e521e609ddcbL,
            0x4fc664731449afa3L, 0x8a0df04a2ee93e00L, 0x5bbaea3a3f00be98L, 0xbaec642e18a6c96eL,
            0xe35f83a91a5836cdL, 0xe1a05aec16e2111bL, 0x45f52538939f79b7L, 0x0933ee3f35e4b2a8L,
            0x9c17ba3fca58079bL, 0x3be4bb85dd53b466L, 0x99008191f8dd59f1L, 0x6e1a240edfa4ffb9L,
            0xee9f603d2b7a11baL, 0x6125829118aa36e3L, 0x6712b6466bf3f3b9L, 0x49e84015e43c7194L,
            0x5e8ea89a94287305L, 0x7e5c128b9d836b6aL, 0x356f8afa874f81c8L, 0xd1832016ae9da49dL,
            0x11842604f9d50369L, 0xf6b3e2e4cbdf1090L, 0x70446268b275ce31L, 0x0fe24c3ce195277aL,
            0xa701697b3faa43a6L, 0x96328ba047484b3aL, 0x6ad5f6e19e519be7L, 0x09ba361d103e7a7cL,
    };
}
