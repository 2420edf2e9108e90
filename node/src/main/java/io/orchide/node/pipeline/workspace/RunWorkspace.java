package io.orchide.node.pipeline.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The workspace of one run, {@code <root>/<runId>/} (layout in the package documentation). Opening and preparing
 * are idempotent and crash-safe: opening a workspace that a killed agent left half made completes it in place.
 */
public final class RunWorkspace {
    private final Path dir;
    private final FileStager stager;

    private RunWorkspace(Path dir, FileStager stager) {
        this.dir = dir;
        this.stager = stager;
    }

    /** Opens, creating what is missing, the workspace of {@code runId} under {@code root}. */
    public static RunWorkspace open(Path root, String runId) {
        return open(root, runId, new FileStager());
    }

    /**
     * As {@link #open(Path, String)}, placing files with {@code stager}.
     *
     * @throws IllegalArgumentException when {@code runId} is not a single plain path segment
     */
    public static RunWorkspace open(Path root, String runId, FileStager stager) {
        if (runId.isEmpty() || runId.startsWith(".") || runId.contains("/") || runId.contains("\\")) {
            throw new IllegalArgumentException("run id must be a plain file name: " + runId);
        }
        RunWorkspace ws = new RunWorkspace(root.resolve(runId), stager);
        createDirectories(ws.triggerDir());
        createDirectories(ws.dir.resolve("steps"));
        ws.removePartials(ws.triggerDir());
        return ws;
    }

    public Path dir() {
        return dir;
    }

    public FileStager stager() {
        return stager;
    }

    public Path triggerDir() {
        return dir.resolve("trigger");
    }

    /**
     * Places the triggering file into {@code trigger/}: hard-linked on the same filesystem, else copied; the
     * user's file is never moved. Placing the same file again keeps it.
     *
     * @throws IllegalStateException when the workspace already holds a different trigger file
     */
    public Path placeTrigger(Path file) {
        Optional<Path> existing = triggerFile();
        Path target = triggerDir().resolve(file.getFileName().toString());
        if (existing.isPresent() && !existing.get().equals(target)) {
            throw new IllegalStateException("run already has trigger file " + existing.get() + ", not " + file);
        }
        stager.place(file, target);
        return target;
    }

    /** The triggering file, if the run has one (schedule, event and manual runs have none). */
    public Optional<Path> triggerFile() {
        List<Path> files = visibleFiles(triggerDir());
        return files.isEmpty() ? Optional.empty() : Optional.of(files.get(0));
    }

    /** {@code steps/<step>[/<item>]}; {@code item} null for a step without forEach. */
    public Path stepDir(String step, Integer item) {
        Path s = dir.resolve("steps").resolve(segment(step));
        return item == null ? s : s.resolve(Integer.toString(item));
    }

    public Path inDir(String step, Integer item) {
        return stepDir(step, item).resolve("in");
    }

    /** {@code in/<input>} of the step (instance). */
    public Path inDir(String step, Integer item, String input) {
        return inDir(step, item).resolve(segment(input));
    }

    public Path outDir(String step, Integer item) {
        return stepDir(step, item).resolve("out");
    }

    /** Creates, where missing, the in and out directories of a step (instance); returns its out directory. */
    public Path prepare(String step, Integer item) {
        createDirectories(inDir(step, item));
        createDirectories(outDir(step, item));
        return outDir(step, item);
    }

    /** The forEach item indexes that have a directory, ascending. */
    public List<Integer> items(String step) {
        Path s = dir.resolve("steps").resolve(segment(step));
        List<Integer> items = new ArrayList<>();
        if (!Files.isDirectory(s)) return items;
        try (Stream<Path> list = Files.list(s)) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,9}"))
                    .map(Integer::valueOf).sorted().forEach(items::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return items;
    }

    /** Removes everything a preempted step (all its instances) staged and wrote; {@link #prepare} starts afresh. */
    public void discard(String step) {
        FileStager.deleteTree(dir.resolve("steps").resolve(segment(step)));
    }

    /** Removes what one forEach instance staged and wrote. */
    public void discard(String step, int item) {
        FileStager.deleteTree(stepDir(step, item));
    }

    /** Removes the whole workspace. */
    public void delete() {
        FileStager.deleteTree(dir);
    }

    /** Regular files directly in {@code directory}, sorted by name, leaving out hidden and partial files. */
    static List<Path> visibleFiles(Path directory) {
        if (!Files.isDirectory(directory)) return List.of();
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void removePartials(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : list.toList()) {
                if (p.getFileName().toString().startsWith(FileStager.PARTIAL_PREFIX)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String segment(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("not a plain name: " + name);
        }
        return name;
    }

    private static void createDirectories(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p, e);
        }
    }

    @Override public String toString() {
        return "RunWorkspace[" + dir + "]";
    }
}
