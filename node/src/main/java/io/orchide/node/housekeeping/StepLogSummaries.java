package io.orchide.node.housekeeping;

import io.orchide.node.pipeline.run.PipelineRun;
import io.orchide.node.pipeline.run.RunObserver;
import io.orchide.node.pipeline.run.StepAttempt;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Feeds each step attempt's log to the {@link LogSummaries} when the attempt ends ({@code run/RUN/STEP}, or
 * {@code run/RUN/STEP.ITEM} for a forEach instance). The attempts of one step instance append to the same console:
 * an attempt's lines are those after the offset where the previous attempt's summary stopped, in the same file. Offsets
 * are kept for at most {@link #MAX_CONSOLES} consoles, in node.db when given {@link StepLogOffsets} (so that an agent
 * restart between two attempts does not summarise the first attempt's lines again), else in memory; a console that is
 * another file now (rotated) or that shrank is read from its start.
 * The console is read on {@code reader}, never on the engine's loop.
 */
public final class StepLogSummaries implements RunObserver {
    private static final System.Logger LOG = System.getLogger(StepLogSummaries.class.getName());
    public static final int MAX_CONSOLES = 256;
    /** Bytes of one line kept; the rest of a longer line is skipped (summaries keep lines far shorter). */
    static final int MAX_LINE_BYTES = 4096;

    /** Where the console of a step instance is kept ({@code item}: null for a step without forEach). */
    public interface Consoles {
        Path console(String run, String step, Integer item);
    }

    private final Consoles consoles;
    private final LogSummaries logs;
    private final Executor reader;
    private final StepLogOffsets offsets;
    /** How far a console was read: {@code file} is its file key (null where the file system has none). */
    private record Seen(String file, long offset) {
    }

    private final Map<Path, Seen> read = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Seen> eldest) {
            return size() > MAX_CONSOLES;
        }
    };

    /** Offsets kept in memory only: an agent restart forgets them. */
    public StepLogSummaries(Consoles consoles, LogSummaries logs, Executor reader) {
        this(consoles, logs, reader, null);
    }

    /** Offsets kept in {@code offsets} (node.db), the memory serving as its cache. */
    public StepLogSummaries(Consoles consoles, LogSummaries logs, Executor reader, StepLogOffsets offsets) {
        this.consoles = consoles;
        this.logs = logs;
        this.reader = reader;
        this.offsets = offsets;
    }

    @Override
    public void attemptEnded(PipelineRun run, StepAttempt attempt) {
        String subject = "run/" + run.name() + "/" + (attempt.item() == null ? attempt.step() : attempt.step() + "." + attempt.item());
        try {
            Path console = consoles.console(run.name(), attempt.step(), attempt.item());
            reader.execute(() -> summarise(subject, console));
        } catch (RuntimeException e) { // the engine's loop is never troubled by a summary
            LOG.log(System.Logger.Level.WARNING, "log of " + subject + " not summarised: " + e.getMessage());
        }
    }

    private synchronized void summarise(String subject, Path console) {
        try (FileChannel ch = FileChannel.open(console, StandardOpenOption.READ)) {
            Object key = Files.readAttributes(console, BasicFileAttributes.class).fileKey();
            String file = key == null ? null : key.toString();
            Seen seen = read.get(console);
            if (seen == null && offsets != null) {
                seen = offsets.get(console).map(o -> new Seen(o.fileKey(), o.offset())).orElse(null);
            }
            long from = seen == null || !Objects.equals(seen.file(), file) || seen.offset() > ch.size() ? 0 : seen.offset();
            ch.position(from);
            long end = from + feed(subject, new BufferedInputStream(Channels.newInputStream(ch)));
            read.put(console, new Seen(file, end));
            if (offsets != null) offsets.put(console, new StepLogOffsets.Offset(file, end));
        } catch (NoSuchFileException e) {
            LOG.log(System.Logger.Level.DEBUG, "no log for " + subject + ": " + console);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "log of " + subject + " not summarised: " + e.getMessage());
        }
    }

    /**
     * Feeds the lines of {@code in}, a last one without its newline included (the attempt has ended: nothing more
     * of it comes); returns the bytes read.
     */
    private long feed(String subject, InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long bytes = 0;
        boolean partial = false;
        for (int b; (b = in.read()) != -1; ) {
            bytes++;
            if (b == '\n') {
                logs.line(subject, line.toString(StandardCharsets.UTF_8));
                line.reset();
                partial = false;
            } else {
                partial = true;
                if (line.size() < MAX_LINE_BYTES) line.write(b);
            }
        }
        if (partial) logs.line(subject, line.toString(StandardCharsets.UTF_8));
        return bytes;
    }

    /** A reader thread of its own for the node: one daemon thread, so that reading never holds the engine up. */
    public static java.util.concurrent.ExecutorService daemonReader() {
        return java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "step-log-summaries");
            t.setDaemon(true);
            return t;
        });
    }
}
