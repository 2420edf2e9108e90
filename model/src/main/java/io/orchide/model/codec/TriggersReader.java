package io.orchide.model.codec;

import io.orchide.model.Cron;
import io.orchide.model.Trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code spec.triggers}: a list whose items each hold exactly one of {@code onData}, {@code schedule},
 * {@code onEvent}, {@code manual}.
 */
final class TriggersReader {
    static final List<String> KINDS = List.of("onData", "schedule", "onEvent", "manual");

    private TriggersReader() {
    }

    static List<Trigger> read(Cursor list, String pipelineName) {
        List<Trigger> triggers = new ArrayList<>();
        for (Cursor c : list.items()) {
            if (!c.present()) {
                c.error("must be a mapping with one of " + String.join(", ", KINDS) + ", not null");
                continue;
            }
            if (!c.mapping()) continue;
            c.allowOnly(KINDS);
            List<String> names = c.fieldNames();
            List<String> kinds = names.stream().filter(KINDS::contains).toList();
            if (kinds.size() > 1) {
                c.error("has several kinds (" + String.join(", ", kinds) + "); write one trigger per item");
                continue;
            }
            if (kinds.isEmpty()) {
                if (names.isEmpty()) c.error("needs one of " + String.join(", ", KINDS));
                continue;
            }
            Cursor body = c.field(kinds.get(0));
            Trigger t = switch (kinds.get(0)) {
                case "onData" -> onData(body);
                case "schedule" -> schedule(body);
                case "onEvent" -> onEvent(body, pipelineName);
                default -> manual(body);
            };
            if (t != null) triggers.add(t);
        }
        return triggers;
    }

    private static boolean body(Cursor c, String fields) {
        if (!c.present() || c.isEmptyText()) {
            c.error("must be a mapping with " + fields + ", not empty");
            return false;
        }
        return c.mapping();
    }

    /** Reports at the mapping unless exactly one of {@code fields} is given. */
    private static boolean exactlyOne(Cursor c, String... fields) {
        long given = Arrays.stream(fields).filter(f -> c.field(f).present()).count();
        if (given == 1) return true;
        c.error((given == 0 ? "needs one of " : "must have only one of ") + String.join(", ", fields));
        return false;
    }

    private static Trigger onData(Cursor c) {
        if (!body(c, "dataset or path, and glob")) return null;
        c.allowOnly("dataset", "path", "glob");
        exactlyOne(c, "dataset", "path");
        String dataset = MetadataReader.dnsLabel(c.field("dataset"), false);
        Cursor pathField = c.field("path");
        String path = pathField.hostPath(false);
        if (path != null && (!path.startsWith("/") || List.of(path.split("/")).contains(".."))) {
            pathField.error("must be an absolute directory path without '..'");
        }
        Cursor globField = c.field("glob");
        String glob = globField.nonEmptyString();
        String problem = glob == null ? null : Globs.problem(glob);
        if (problem != null) globField.error(problem);
        return new Trigger.OnData(dataset, path, glob == null ? Trigger.OnData.DEFAULT_GLOB : glob);
    }

    private static Trigger schedule(Cursor c) {
        if (!body(c, "one of cron, every, at")) return null;
        c.allowOnly("cron", "every", "at");
        exactlyOne(c, "cron", "every", "at");
        Cursor cronField = c.field("cron");
        String cronText = cronField.nonEmptyString();
        Cron cron = null;
        if (cronText != null) {
            try {
                cron = Cron.parse(cronText);
            } catch (IllegalArgumentException e) {
                cronField.error(e.getMessage());
            }
        }
        Duration every = c.field("every").duration();
        Cursor atField = c.field("at");
        String atText = atField.nonEmptyString();
        Instant at = null;
        if (atText != null) {
            try {
                at = Instant.parse(atText);
            } catch (DateTimeParseException e) {
                atField.error("must be an ISO-8601 instant with a zone, such as 2026-12-01T10:00:00Z");
            }
        }
        return new Trigger.Schedule(cron, every, at);
    }

    private static Trigger onEvent(Cursor c, String pipelineName) {
        if (!body(c, "pipeline (and result) or name")) return null;
        c.allowOnly("pipeline", "result", "name");
        exactlyOne(c, "pipeline", "name");
        Cursor pipelineField = c.field("pipeline");
        String pipeline = MetadataReader.dnsLabel(pipelineField, false);
        if (pipeline != null && pipeline.equals(pipelineName)) {
            pipelineField.error("is this pipeline; a pipeline cannot be triggered by its own runs");
        }
        Cursor resultField = c.field("result");
        Trigger.OnEvent.Result result = resultField.choice(Trigger.OnEvent.Result.values());
        if (resultField.present() && !pipelineField.present()) {
            resultField.error("applies to pipeline events only, not to named events");
        }
        String name = MetadataReader.dnsLabel(c.field("name"), false);
        if (pipeline != null && result == null) result = Trigger.OnEvent.Result.SUCCEEDED;
        return new Trigger.OnEvent(pipeline, pipeline == null ? null : result, name);
    }

    /** {@code manual: {}}, or {@code manual:} with nothing after it. */
    private static Trigger manual(Cursor c) {
        if (c.present() && !c.isEmptyText() && c.mapping()) {
            for (String name : c.fieldNames()) c.field(name).error("unknown field; manual takes no fields");
        }
        return new Trigger.Manual();
    }
}
