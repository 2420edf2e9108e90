package io.orchide.model.message;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.codec.Cursor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's answer to {@link DatasetCommand} {@code command}: its {@code outcome} ({@link #DONE} or {@link #FAILED}),
 * a {@code message} (what was done, or why not: the field and value at fault, a quota's limit, use and request), and
 * the node's datasets as they are after it, each with its files (at most {@link #MAX_FILES} of them, then
 * {@code truncated}) and its use against its quota. {@code node} is the node that answered, {@code at} when;
 * {@code content} is the file a {@code get} brought down (null for any other operation); {@code downlink} the size of
 * the file a {@code get} sends down on its own, as a {@link DatasetFile} bundle, when it is over {@link #MAX_CONTENT}
 * (null otherwise).
 */
public record DatasetResult(long command, String node, String outcome, String message, Instant at,
                            List<Listing> datasets, byte[] content, Long downlink) {
    public static final String DONE = "done", FAILED = "failed";
    /** The most files of one dataset a result lists. */
    public static final int MAX_FILES = 1000;
    /** The largest file a {@code get} brings down in its answer (the answer is one bundle). */
    public static final int MAX_CONTENT = 1 << 20;

    public DatasetResult {
        datasets = List.copyOf(datasets);
    }

    /** An answer that brings its file's bytes in it, or none. */
    public DatasetResult(long command, String node, String outcome, String message, Instant at,
                         List<Listing> datasets, byte[] content) {
        this(command, node, outcome, message, at, datasets, content, null);
    }

    /** An answer that brings no file's bytes. */
    public DatasetResult(long command, String node, String outcome, String message, Instant at,
                         List<Listing> datasets) {
        this(command, node, outcome, message, at, datasets, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetResult r && command == r.command && java.util.Objects.equals(node, r.node)
                && java.util.Objects.equals(outcome, r.outcome) && java.util.Objects.equals(message, r.message)
                && java.util.Objects.equals(at, r.at) && datasets.equals(r.datasets)
                && java.util.Arrays.equals(content, r.content) && java.util.Objects.equals(downlink, r.downlink);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(command, node, outcome, message, at, datasets) * 31
                + java.util.Arrays.hashCode(content);
    }

    /** One dataset: its tenant ({@code operator} for an undeclared one), use, quota (null: none) and files. */
    public record Listing(String name, String tenant, int files, long bytes, Long quotaBytes, Integer quotaFiles,
                          List<FileEntry> items, boolean truncated) {
        public Listing {
            items = List.copyOf(items);
        }
    }

    /** One file of a dataset. */
    public record FileEntry(String name, long bytes, Instant modified) {
    }

    public byte[] encode() {
        ObjectNode o = Messages.JSON.objectNode();
        o.put("command", command).put("node", node).put("outcome", outcome);
        Messages.putText(o, "message", message);
        Messages.putInstant(o, "at", at);
        if (content != null) o.put("content", java.util.Base64.getEncoder().encodeToString(content));
        if (downlink != null) o.put("downlink", downlink);
        ArrayNode ds = o.putArray("datasets");
        for (Listing l : datasets) {
            ObjectNode d = ds.addObject().put("name", l.name()).put("tenant", l.tenant()).put("files", l.files())
                    .put("bytes", l.bytes());
            if (l.quotaBytes() != null) d.put("quotaBytes", l.quotaBytes());
            if (l.quotaFiles() != null) d.put("quotaFiles", l.quotaFiles());
            if (l.truncated()) d.put("truncated", true);
            ArrayNode items = d.putArray("items");
            for (FileEntry f : l.items()) {
                ObjectNode fo = items.addObject().put("name", f.name()).put("bytes", f.bytes());
                Messages.putInstant(fo, "modified", f.modified());
            }
        }
        return Messages.bytes(o);
    }

    public static DatasetResult decode(byte[] payload) throws MessageException {
        return Messages.read(BundleKind.DATASET_RESULT.wire(), payload, c -> {
            c.allowOnly("command", "node", "outcome", "message", "at", "datasets", "content", "downlink");
            Long downlink = c.field("downlink").size(0);
            Cursor contentField = c.field("content");
            String encoded = contentField.string();
            byte[] content = null;
            if (encoded != null) {
                try {
                    content = java.util.Base64.getDecoder().decode(encoded);
                } catch (IllegalArgumentException e) {
                    contentField.error("must be base64");
                }
            }
            Long command = c.field("command").size(1);
            Cursor outcomeField = c.field("outcome");
            String outcome = outcomeField.requiredString();
            if (outcome != null && !outcome.equals(DONE) && !outcome.equals(FAILED)) {
                outcomeField.error("must be " + DONE + " or " + FAILED);
            }
            List<Listing> datasets = new ArrayList<>();
            for (Cursor d : c.field("datasets").items()) {
                if (!d.mapping()) continue;
                d.allowOnly("name", "tenant", "files", "bytes", "quotaBytes", "quotaFiles", "truncated", "items");
                List<FileEntry> items = new ArrayList<>();
                for (Cursor f : d.field("items").items()) {
                    if (!f.mapping()) continue;
                    f.allowOnly("name", "bytes", "modified");
                    Long bytes = f.field("bytes").size(0);
                    items.add(new FileEntry(f.field("name").requiredString(), bytes == null ? 0 : bytes,
                            Messages.instant(f.field("modified"), false)));
                }
                Integer files = d.field("files").integer(0, Integer.MAX_VALUE);
                Long bytes = d.field("bytes").size(0);
                Long quotaBytes = d.field("quotaBytes").size(1);
                Integer quotaFiles = d.field("quotaFiles").integer(1, Integer.MAX_VALUE);
                Boolean truncated = d.field("truncated").bool();
                datasets.add(new Listing(d.field("name").requiredString(), d.field("tenant").requiredString(),
                        files == null ? 0 : files, bytes == null ? 0 : bytes, quotaBytes, quotaFiles, items,
                        Boolean.TRUE.equals(truncated)));
            }
            return new DatasetResult(command == null ? 0 : command, c.field("node").requiredString(), outcome,
                    c.field("message").string(), Messages.instant(c.field("at"), true), datasets, content, downlink);
        });
    }
}
