package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetResult;
import io.orchide.node.device.DeviceInputException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Does the dataset operations ground sends ({@link DatasetCommand}: list, copy, move, delete, and get, whose answer
 * carries the file's bytes) and answers each with a {@link DatasetResult}
 * holding its outcome and the node's datasets as they are after it. Ground checked who asked; the node checks again,
 * with its own declarations: a tenant lists and reads the datasets its tenant owns or whose {@code access.read} names
 * it, and changes files only where it owns the dataset or {@code access.write} names it; an undeclared dataset is the
 * operator's (a command without a tenant). A refusal changes nothing and says the field and value at fault.
 */
public final class DatasetCommands {
    /** The kind of principal a tenant's operation through ground is: matched by tenant only, never by name. */
    private static final String TENANT = "tenant";

    private final DatasetFiles files;
    private final String node;
    private final Clock clock;

    public DatasetCommands(DatasetFiles files, String node, Clock clock) {
        this.files = files;
        this.node = node;
        this.clock = clock;
    }

    /** Does {@code c} and says how it went. */
    public DatasetResult execute(DatasetCommand c) {
        String outcome = DatasetResult.DONE;
        String message;
        byte[] content = null;
        try {
            if (c.op().equals(DatasetCommand.GET)) {
                content = get(c);
                message = "brought down " + c.dataset() + "/" + c.file() + " (" + content.length + " bytes)";
            } else {
                message = run(c);
            }
        } catch (Refused e) {
            outcome = DatasetResult.FAILED;
            message = e.getMessage();
        } catch (NoSuchDatasetException e) {
            outcome = DatasetResult.FAILED;
            message = e.field() + ": " + e.getMessage() + " (got " + e.value() + ")";
        } catch (FileAlreadyExistsException e) {
            outcome = DatasetResult.FAILED;
            message = "name: " + e.getFile() + " is taken; a file is never overwritten";
        } catch (DeviceInputException e) {
            outcome = DatasetResult.FAILED;
            message = "name: " + e.getMessage();
        } catch (IOException e) {
            outcome = DatasetResult.FAILED;
            message = e.getMessage();
        }
        return new DatasetResult(c.id(), node, outcome, message, clock.instant(), listing(), content);
    }

    /** The bytes of the file a {@code get} names, when it is readable by the tenant and small enough. */
    private byte[] get(DatasetCommand c) throws IOException, NoSuchDatasetException, Refused {
        allowed(c, "dataset", c.dataset(), false);
        DatasetFiles.FileView f = files.file(c.dataset(), c.file()).file();
        if (f.bytes() > DatasetResult.MAX_CONTENT) {
            throw new Refused("file: is " + f.bytes() + " bytes, more than the " + DatasetResult.MAX_CONTENT
                    + " a get brings down in its answer (got " + c.file() + ")");
        }
        return files.read(c.dataset(), c.file());
    }

    private String run(DatasetCommand c) throws IOException, NoSuchDatasetException, Refused {
        return switch (c.op()) {
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
