package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetResult;
import io.orchide.node.device.DeviceInputException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Does the dataset operations ground sends ({@link DatasetCommand}: list, copy, move, delete, get, whose answer
 * carries the file's bytes or, for a file over {@link DatasetResult#MAX_CONTENT}, announces its own downlink, and put,
 * which writes a file uplinked as image chunks) and answers each with a {@link DatasetResult}
 * holding its outcome and the node's datasets as they are after it. Ground checked who asked; the node checks again,
 * with its own declarations: a tenant lists and reads the datasets its tenant owns or whose {@code access.read} names
 * it, and changes files only where it owns the dataset or {@code access.write} names it; an undeclared dataset is the
 * operator's (a command without a tenant). A refusal changes nothing and says the field and value at fault.
 * With a {@link DatasetCommandLog}, {@link #take} does each command once: a command delivered again is answered from
 * its record, and one cut by a crash in the middle is finished without failing on its own half-done effect.
 */
public final class DatasetCommands {
    /** The kind of principal a tenant's operation through ground is: matched by tenant only, never by name. */
    private static final String TENANT = "tenant";

    /** Where a file too large for a get's answer goes down on its own. */
    public interface Downlink {
        /** Queues {@code file} ({@code bytes} long) for ground as the file of {@code c}'s get; returns at once. */
        void send(DatasetCommand c, Path file, long bytes) throws IOException;

        /** The largest file this downlink carries. */
        long maxBytes();
    }

    private final DatasetFiles files;
    private final String node;
    private final Clock clock;
    private final DatasetCommandLog log;
    private final Function<String, Optional<Path>> content;
    private final Downlink downlink;

    /** Without a record of the commands done, uplinked content or downlinks: ls, cp, mv, rm and small gets. */
    public DatasetCommands(DatasetFiles files, String node, Clock clock) {
        this(files, node, clock, null, ref -> Optional.empty(), null);
    }

    /**
     * @param log the record of the commands taken (null: none, each delivery is done)
     * @param content the file of an uplinked image, by its {@code sha256:} reference, once it is here whole
     * @param downlink where a get's file over {@link DatasetResult#MAX_CONTENT} goes (null: such a get is refused)
     */
    public DatasetCommands(DatasetFiles files, String node, Clock clock, DatasetCommandLog log,
                           Function<String, Optional<Path>> content, Downlink downlink) {
        this.files = files;
        this.node = node;
        this.clock = clock;
        this.log = log;
        this.content = content;
        this.downlink = downlink;
    }

    /**
     * Takes command {@code c} as delivered by the link: answered from the record when it was done before; a put whose
     * content has not arrived yet is recorded waiting (empty: answered by {@link #contentArrived}), unless it is
     * refused at once (access, quota, a taken name); anything else is done, recorded and answered.
     */
    public Optional<DatasetResult> take(DatasetCommand c) {
        if (log == null) return Optional.of(execute(c));
        Optional<DatasetCommandLog.Entry> before = log.find(c.id());
        if (before.isPresent() && before.get().result() != null) return Optional.of(before.get().result());
        boolean resumed = before.isPresent() && before.get().state().equals(DatasetCommandLog.STARTED);
        if (c.op().equals(DatasetCommand.PUT) && !resumed && content.apply(c.content()).isEmpty()) {
            Optional<DatasetResult> refused = precheckPut(c);
            if (refused.isPresent()) {
                log.done(c, refused.get());
                return refused;
            }
            log.mark(c, DatasetCommandLog.WAITING);
            return Optional.empty();
        }
        log.mark(c, DatasetCommandLog.STARTED);
        DatasetResult r = execute(c, resumed);
        log.done(c, r);
        return Optional.of(r);
    }

    /** The waiting puts whose content is here now, each done, recorded and answered. */
    public List<DatasetResult> contentArrived() {
        if (log == null) return List.of();
        List<DatasetResult> out = new ArrayList<>();
        for (DatasetCommand c : log.waiting()) {
            if (content.apply(c.content()).isEmpty()) continue;
            log.mark(c, DatasetCommandLog.STARTED);
            DatasetResult r = execute(c, false);
            log.done(c, r);
            out.add(r);
        }
        return out;
    }

    /** The commands still waiting for their content. */
    public List<DatasetCommand> waiting() {
        return log == null ? List.of() : log.waiting();
    }

    /** A put refused before its content is here: the tenant may not write, the name is taken, or it would not fit. */
    private Optional<DatasetResult> precheckPut(DatasetCommand c) {
        String message;
        try {
            allowed(c, "dataset", c.dataset(), true);
            if (c.file() == null) throw new Refused("file: is required for put");
            if (files.exists(c.dataset(), c.file())) {
                throw new FileAlreadyExistsException(c.dataset() + "/" + c.file());
            }
            DatasetFiles.View v = files.get(c.dataset());
            if (v.declaration().isPresent() && c.bytes() != null) {
                DatasetQuota.check(c.dataset(), v.quota(), v.use(), 1, c.bytes());
            }
            return Optional.empty();
        } catch (Refused | IOException | NoSuchDatasetException e) {
            message = failure(e);
        }
        return Optional.of(new DatasetResult(c.id(), node, DatasetResult.FAILED, message, clock.instant(), listing(),
                null));
    }

    /** Does {@code c} and says how it went. */
    public DatasetResult execute(DatasetCommand c) {
        return execute(c, false);
    }

    /**
     * Does {@code c}; with {@code resumed} (a crash cut an earlier attempt of it), an effect already on disk counts as
     * done rather than failing the operation a second time.
     */
    private DatasetResult execute(DatasetCommand c, boolean resumed) {
        String outcome = DatasetResult.DONE;
        String message;
        byte[] bytes = null;
        Long down = null;
        try {
            if (c.op().equals(DatasetCommand.GET)) {
                allowed(c, "dataset", c.dataset(), false);
                DatasetFiles.FileView f = files.file(c.dataset(), c.file()).file();
                if (f.bytes() <= DatasetResult.MAX_CONTENT) {
                    bytes = files.read(c.dataset(), c.file());
                    message = "brought down " + c.dataset() + "/" + c.file() + " (" + bytes.length + " bytes)";
                } else {
                    down = sendDown(c, f);
                    message = "coming down: " + c.dataset() + "/" + c.file() + " (" + down + " bytes) goes down on "
                            + "its own, after this answer";
                }
            } else {
                String already = resumed ? alreadyDone(c) : null;
                message = already != null ? already : run(c);
            }
        } catch (Refused | IOException | NoSuchDatasetException | DeviceInputException e) {
            outcome = DatasetResult.FAILED;
            message = failure(e);
        }
        return new DatasetResult(c.id(), node, outcome, message, clock.instant(), listing(), bytes, down);
    }

    /** Queues the file of a get too large for its answer; its size. */
    private long sendDown(DatasetCommand c, DatasetFiles.FileView f) throws IOException, NoSuchDatasetException,
            Refused {
        if (downlink == null || f.bytes() > downlink.maxBytes()) {
            long max = downlink == null ? DatasetResult.MAX_CONTENT : downlink.maxBytes();
            throw new Refused("file: is " + f.bytes() + " bytes, more than the " + max
                    + " a get brings down (got " + c.file() + ")");
        }
        downlink.send(c, files.path(c.dataset(), c.file()), f.bytes());
        return f.bytes();
    }

    /**
     * What a resumed command already did, read from the datasets: a move whose source is gone and whose target is
     * there, a copy whose target is there, a delete whose file is gone, a put whose file is there. Null when its
     * effect is not visible, and the command is done again.
     */
    private String alreadyDone(DatasetCommand c) {
        String target = c.name() == null ? c.file() : c.name();
        String note = " (finished before the node restarted)";
        return switch (c.op()) {
            case DatasetCommand.MV -> !files.exists(c.dataset(), c.file()) && files.exists(c.to(), target)
                    ? "moved " + c.dataset() + "/" + c.file() + " to " + c.to() + "/" + target + note : null;
            case DatasetCommand.CP -> files.exists(c.to(), target)
                    ? "copied " + c.dataset() + "/" + c.file() + " to " + c.to() + "/" + target + note : null;
            case DatasetCommand.RM -> !files.exists(c.dataset(), c.file())
                    ? "deleted " + c.dataset() + "/" + c.file() + note : null;
            case DatasetCommand.PUT -> files.exists(c.dataset(), c.file())
                    ? "put " + c.dataset() + "/" + c.file() + note : null;
            default -> null;
        };
    }

    private static String failure(Exception e) {
        return switch (e) {
            case NoSuchDatasetException n -> n.field() + ": " + n.getMessage() + " (got " + n.value() + ")";
            case FileAlreadyExistsException f -> "name: " + f.getFile() + " is taken; a file is never overwritten";
            case DeviceInputException d -> "name: " + d.getMessage();
            default -> e.getMessage();
        };
    }

    private String run(DatasetCommand c) throws IOException, NoSuchDatasetException, Refused {
        return switch (c.op()) {
            case DatasetCommand.PUT -> {
                allowed(c, "dataset", c.dataset(), true);
                if (c.file() == null) throw new Refused("file: is required for put");
                Path source = content.apply(c.content()).orElseThrow(() -> new Refused(
                        "content: the uplinked file is not on this node (got " + c.content() + ")"));
                DatasetFiles.FileView f = files.put(c.dataset(), c.file(), source,
                        c.content().substring("sha256:".length()), c.tenant(), c.by() == null ? "operator" : c.by(),
                        clock.instant());
                yield "put " + c.dataset() + "/" + f.name() + " (" + f.bytes() + " bytes, " + c.content() + ")";
            }
            case DatasetCommand.LS -> {
                if (c.dataset() != null) {
                    files.get(c.dataset());
                    allowed(c, "dataset", c.dataset(), false);
                }
                yield "listed";
            }
            case DatasetCommand.RM -> {
                allowed(c, "dataset", c.dataset(), true);
                files.delete(c.dataset(), c.file());
                yield "deleted " + c.dataset() + "/" + c.file();
            }
            case DatasetCommand.CP, DatasetCommand.MV -> {
                boolean move = c.op().equals(DatasetCommand.MV);
                allowed(c, "dataset", c.dataset(), move);
                allowed(c, "to", c.to(), true);
                DatasetFiles.FileView f = files.copy(c.dataset(), c.file(), c.to(), c.name(), move);
                yield (move ? "moved " : "copied ") + c.dataset() + "/" + c.file() + " to " + c.to() + "/" + f.name();
            }
            default -> throw new Refused("op: is not an operation on datasets (got " + c.op() + ")");
        };
    }

    /** Refuses unless the command's tenant may read (or with {@code write}, change) dataset {@code name}. */
    private void allowed(DatasetCommand c, String field, String name, boolean write)
            throws IOException, NoSuchDatasetException, Refused {
        if (name == null) throw new Refused(field + ": is required for " + c.op());
        Optional<Dataset> d = files.get(name).declaration();
        if (c.tenant() == null) return; // the operator's
        boolean ok = d.isPresent() && (write ? d.get().writableBy(c.tenant(), TENANT, c.tenant())
                : d.get().readableBy(c.tenant(), TENANT, c.tenant()));
        if (!ok) {
            throw new Refused(field + ": is not a dataset tenant " + c.tenant() + " may " + (write ? "change" : "read")
                    + " (got " + name + ")");
        }
    }

    /** Every dataset on the node with its files, as a result carries them. */
    private List<DatasetResult.Listing> listing() {
        List<DatasetResult.Listing> out = new ArrayList<>();
        try {
            for (DatasetFiles.View v : files.list()) {
                List<DatasetFiles.FileView> all = files.files(v.name());
                List<DatasetResult.FileEntry> items = all.stream().limit(DatasetResult.MAX_FILES)
                        .map(f -> new DatasetResult.FileEntry(f.name(), f.bytes(), f.modified())).toList();
                out.add(new DatasetResult.Listing(v.name(), v.tenant(), v.use().files(), v.use().bytes(),
                        v.quota().bytes(), v.quota().files(), items, all.size() > items.size()));
            }
        } catch (IOException | NoSuchDatasetException e) {
            // the outcome stands; ground keeps the listing it had
        }
        return out;
    }

    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
