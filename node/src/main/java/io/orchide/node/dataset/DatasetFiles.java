package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.DatasetSpec;
import io.orchide.model.Names;
import io.orchide.node.device.DatasetWriter;
import io.orchide.node.layout.NodeLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The node's datasets as a user sees them: declared ones and the directories under {@code datasets/} nobody declared
 * (the device datasets, the operator's), with what they hold, and the operations on their files: delete, copy and
 * move within a dataset or between two. A copy or move never overwrites a file, never leaves a part under a visible
 * name (a copy is written under a hidden name, fsync'd and linked into place), and keeps the target's quota. A move
 * links the file under its new name before it removes the old one: a crash between the two leaves the file twice,
 * never nowhere.
 */
public final class DatasetFiles {
    /** The owner shown for a dataset nobody declared. */
    public static final String OPERATOR = "operator";

    private final NodeLayout layout;
    private final DatasetRegistry registry;
    private final DatasetLineage lineage;

    /** Over datasets whose files carry no lineage (a node without pipelines writing into them). */
    public DatasetFiles(NodeLayout layout, DatasetRegistry registry) {
        this(layout, registry, null);
    }

    /** With {@code lineage}, the lineage of files pipelines wrote follows them through copies, moves and deletes. */
    public DatasetFiles(NodeLayout layout, DatasetRegistry registry, DatasetLineage lineage) {
        this.layout = layout;
        this.registry = registry;
        this.lineage = lineage;
    }

    /** One dataset: its declaration (empty for the operator's undeclared ones) and what it holds. */
    public record View(String name, Optional<Dataset> declaration, DatasetUse use) {
        public String tenant() {
            return declaration.map(d -> d.metadata().tenant()).orElse(OPERATOR);
        }

        public DatasetSpec.Quota quota() {
            return declaration.map(d -> d.spec().quota()).orElse(DatasetSpec.Quota.NONE);
        }
    }

    /** One file of a dataset. */
    public record FileView(String name, long bytes, Instant modified) {
    }

    /** Every dataset on the node, by name. */
    public List<View> list() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        registry.list().forEach(d -> names.add(d.name()));
        try (Stream<Path> dirs = Files.list(layout.datasets())) {
            dirs.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> Names.dnsLabelProblem(n) == null)
                    .forEach(names::add);
        } catch (NoSuchFileException e) {
            // no dataset directory yet
        }
        List<View> out = new ArrayList<>();
        for (String n : names) out.add(new View(n, registry.get(n), DatasetUse.measure(layout.dataset(n))));
        return out;
    }

    /** The dataset {@code name}. */
    public View get(String name) throws IOException, NoSuchDatasetException {
        checkExists("dataset", name);
        return new View(name, registry.get(name), DatasetUse.measure(layout.dataset(name)));
    }

    /** The files of dataset {@code name}, by name. */
    public List<FileView> files(String name) throws IOException, NoSuchDatasetException {
        checkExists("dataset", name);
        List<FileView> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(layout.dataset(name))) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (!DatasetUse.isDatasetFile(p)) continue;
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                        out.add(new FileView(p.getFileName().toString(), a.size(), a.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException gone) {
                    // removed between the listing and the look
                }
            }
        } catch (NoSuchFileException e) {
            return out; // declared, nothing written yet
        }
        out.sort(java.util.Comparator.comparing(FileView::name));
        return out;
    }

    /** File {@code file} of dataset {@code name}, with its lineage when a pipeline's step wrote it. */
    public record FileDetail(FileView file, Optional<DatasetFileLineage> lineage) {
    }

    /** File {@code file} of dataset {@code name} and its lineage. */
    public FileDetail file(String name, String file) throws IOException, NoSuchDatasetException {
        Path p = existingFile(name, file);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw noFile(name, file);
        }
        FileView v = new FileView(file, a.size(), a.lastModifiedTime().toInstant());
        return new FileDetail(v, lineage == null ? Optional.empty() : lineage.find(name, file, a.size()));
    }

    /** The bytes of file {@code file} of dataset {@code name}. */
    public byte[] read(String name, String file) throws IOException, NoSuchDatasetException {
        Path p = existingFile(name, file);
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw noFile(name, file);
        }
    }

    /**
     * Forgets the declaration of dataset {@code name}: its files stay, as an undeclared dataset of the operator.
     *
     * @throws NoSuchDatasetException when it is not declared
     */
    public void undeclare(String name) throws NoSuchDatasetException {
        if (!registry.delete(name)) {
            throw new NoSuchDatasetException("dataset", name, "no declared dataset " + name + " on this node");
        }
    }

    /** Deletes file {@code file} of dataset {@code name}. */
    public void delete(String name, String file) throws IOException, NoSuchDatasetException {
        Path p = existingFile(name, file);
        try {
            Files.delete(p);
        } catch (NoSuchFileException e) {
            throw noFile(name, file);
        }
        if (lineage != null) lineage.deleted(name, file);
    }

    /**
     * Copies (or with {@code move}, moves) file {@code file} of dataset {@code from} to dataset {@code to} under
     * {@code newName} (its own name when null).
     *
     * @throws FileAlreadyExistsException when the target name is taken (nothing changed)
     * @throws QuotaExceededException when the target would go over its quota (nothing changed)
     */
    public FileView copy(String from, String file, String to, String newName, boolean move)
            throws IOException, NoSuchDatasetException {
        Path source = existingFile(from, file);
        checkExists("to", to);
        String name = newName == null ? file : newName;
        DatasetWriter.checkName(name);
        Path dir = layout.dataset(to);
        Path target = dir.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(to + "/" + name, null, "a file of this name is already there");
        }
        long bytes = Files.size(source);
        if (!(move && from.equals(to))) {
            Optional<Dataset> d = registry.get(to);
            if (d.isPresent()) DatasetQuota.check(to, d.get().spec().quota(), DatasetUse.measure(dir), 1, bytes);
        }
        Files.createDirectories(dir);
        if (move) {
            Files.createLink(target, source); // refuses an existing name: never overwrites
            Files.delete(source);
            syncDirectory(dir);
            if (!from.equals(to)) syncDirectory(source.getParent());
        } else {
            Path temp = dir.resolve(DatasetWriter.TEMP_PREFIX + name + DatasetWriter.TEMP_SUFFIX);
            try {
                try (InputStream in = Files.newInputStream(source);
                     FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                             StandardOpenOption.TRUNCATE_EXISTING);
                     OutputStream out = Channels.newOutputStream(ch)) {
                    in.transferTo(out);
                    ch.force(true);
                }
                Files.setLastModifiedTime(temp, Files.getLastModifiedTime(source));
                Files.createLink(target, temp);
            } finally {
                Files.deleteIfExists(temp);
            }
            syncDirectory(dir);
        }
        if (lineage != null) lineage.copied(from, file, to, name, move);
        return new FileView(name, bytes, Files.getLastModifiedTime(target).toInstant());
    }

    /**
     * Writes the bytes of {@code source} into dataset {@code dataset} as {@code name}, for a file uplinked from ground
     * by {@code by}: under a hidden name first, fsync'd, checked against {@code sha256} (hex), then linked into place
     * and the directory fsync'd, so the name shows either nothing or the whole file. With lineage, the file's says
     * who uplinked it and its sha256.
     *
     * @throws FileAlreadyExistsException when the name is taken (nothing changed)
     * @throws QuotaExceededException when the dataset would go over its quota (nothing changed)
     * @throws IOException when the bytes do not hash to {@code sha256} (nothing changed)
     */
    public FileView put(String dataset, String name, Path source, String sha256, String tenant, String by,
                        java.time.Instant at) throws IOException, NoSuchDatasetException {
        checkExists("dataset", dataset);
        DatasetWriter.checkName(name);
        Path dir = layout.dataset(dataset);
        Path target = dir.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(dataset + "/" + name, null, "a file of this name is already there");
        }
        long bytes = Files.size(source);
        Optional<Dataset> d = registry.get(dataset);
        if (d.isPresent()) DatasetQuota.check(dataset, d.get().spec().quota(), DatasetUse.measure(dir), 1, bytes);
        Files.createDirectories(dir);
        Path temp = dir.resolve(DatasetWriter.TEMP_PREFIX + name + DatasetWriter.TEMP_SUFFIX);
        try {
            java.security.MessageDigest md = io.orchide.image.Digests.newSha256();
            try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(source), md);
                 FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                in.transferTo(out);
                ch.force(true);
            }
            String got = java.util.HexFormat.of().formatHex(md.digest());
            if (!got.equals(sha256)) {
                throw new IOException("content: the uplinked bytes hash to " + got + ", not " + sha256
                        + "; nothing written");
            }
            Files.createLink(target, temp); // refuses an existing name: never overwrites
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
        if (lineage != null) {
            lineage.put(DatasetFileLineage.uplinked(dataset, name, tenant == null ? OPERATOR : tenant, by, bytes,
                    sha256, at));
        }
        return new FileView(name, bytes, Files.getLastModifiedTime(target).toInstant());
    }

    /** The file {@code file} of dataset {@code dataset} on disk, to read or link elsewhere. */
    public Path path(String dataset, String file) throws NoSuchDatasetException {
        return existingFile(dataset, file);
    }

    /** Whether {@code dataset}/{@code file} is there. */
    public boolean exists(String dataset, String file) {
        try {
            existingFile(dataset, file);
            return true;
        } catch (NoSuchDatasetException e) {
            return false;
        }
    }

    private Path existingFile(String dataset, String file) throws NoSuchDatasetException {
        checkExists("dataset", dataset);
        if (file == null || file.isEmpty() || file.startsWith(".") || file.contains("/") || file.indexOf('\0') >= 0) {
            throw noFile(dataset, file);
        }
        Path p = layout.dataset(dataset).resolve(file);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) throw noFile(dataset, file);
        return p;
    }

    private void checkExists(String field, String name) throws NoSuchDatasetException {
        if (name == null || Names.dnsLabelProblem(name) != null
                || registry.get(name).isEmpty() && !Files.isDirectory(layout.dataset(name), LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchDatasetException(field, name, "no dataset " + name + " on this node");
        }
    }

    private static NoSuchDatasetException noFile(String dataset, String file) {
        return new NoSuchDatasetException("file", file, "no file " + file + " in dataset " + dataset);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
