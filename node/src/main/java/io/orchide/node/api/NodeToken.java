package io.orchide.node.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bearer token of a node's local API, kept in {@code <data-dir>/node.token}: {@value #PREFIX} and 256 random
 * bits in base64url, one line, mode 0600. Made at the first start and read at every later one, so clients set up
 * once keep working across restarts. As ssh does with a private key, a file that its group or others may read,
 * write or run is refused rather than used: someone may have read it already.
 */
public final class NodeToken {
    /** Tells a node's token apart from ground's tokens, in a file, a shell history or a secret scanner. */
    public static final String PREFIX = "ont_";
    private static final int RANDOM_BYTES = 32;
    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
    private static final Set<PosixFilePermission> OWNER_ONLY =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final byte[] value;

    private NodeToken(String value) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    /** The token in {@code file}, made there first if there is none. */
    public static NodeToken loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) create(file, random);
        return read(file);
    }

    /**
     * The token in {@code file}; an {@link IOException} naming the file when it is missing, unreadable, open to
     * its group or others (with its mode), or does not hold a token.
     */
    public static NodeToken read(Path file) throws IOException {
        String mode = looseMode(file);
        if (mode != null) {
            throw new IOException("permissions " + mode + " for " + file + " are too open: the node token must be "
                    + "readable by its owner only; run chmod 600 " + file + " (or delete it: a new token is made at "
                    + "the next start, and every client needs the new one)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("no node token at " + file + ": the node makes it at its first start "
                    + "(orchide node --data-dir " + file.getParent() + ")", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + ": permission denied (read it as the user the node runs as)", e);
        } catch (java.nio.charset.CharacterCodingException e) { // not text: said below as not a token
            text = "";
        }
        if (!SHAPE.matcher(text).matches()) {
            throw new IOException(file + " does not hold a node token (" + PREFIX + " and 43 base64url characters, "
                    + text.length() + " characters found): delete it and a new one is made at the next start");
        }
        return new NodeToken(text);
    }

    /** Whether {@code candidate} is this token, in a time that does not depend on where the two first differ. */
    public boolean matches(String candidate) {
        if (candidate == null) return false;
        return MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.US_ASCII));
    }

    /** The token as a client sends it. */
    public String value() { return new String(value, StandardCharsets.US_ASCII); }

    @Override
    public String toString() { return "NodeToken[" + PREFIX + "...]"; }

    /** The file's mode as {@code 0644} when its group or others have any permission on it, else null. */
    private static String looseMode(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) return null; // no POSIX permissions to check on this file system
        Set<PosixFilePermission> p;
        try {
            p = view.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            return null; // said when it is read
        }
        for (PosixFilePermission x : p) {
            if (!x.name().startsWith("OWNER_")) return octal(p);
        }
        return null;
    }

    private static String octal(Set<PosixFilePermission> p) {
        int mode = 0;
        for (PosixFilePermission x : p) mode |= 1 << (8 - x.ordinal());
        return String.format("0%03o", mode);
    }

    /**
     * Writes a new token beside {@code file} with mode 0600 from its creation, forces it to disk, then renames it
     * into place: a reader (or a crash) sees no file or a whole token, never a part.
     */
    private static void create(Path file, SecureRandom random) throws IOException {
        byte[] bits = new byte[RANDOM_BYTES];
        random.nextBytes(bits);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        try (FileChannel ch = posix
                ? FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot make the node token: " + tmp + " appeared while it was written", e);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself survives a power cut
        } catch (IOException e) {
            // some file systems cannot sync a directory; the token is written, only its name may need the next start
        }
    }
}
