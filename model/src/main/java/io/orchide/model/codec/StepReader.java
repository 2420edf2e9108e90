package io.orchide.model.codec;

import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Condition;
import io.orchide.model.Retries;
import io.orchide.model.Step;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one item of {@code spec.steps}: name, exactly one of app and template (an App spec, read and checked as
 * one), after, when, forEach, inputs, outputs, timeout, retries. References to other steps are only collected;
 * {@link StepGraphChecker} checks them.
 */
final class StepReader {
    static final List<String> FIELDS = List.of("name", "app", "template", "after", "when", "forEach", "inputs",
            "outputs", "timeout", "retries");

    private StepReader() {
    }

    /** @return the step as read, or null when the item is not a mapping */
    static StepSite read(Cursor c, int index, Arch nodeArch) {
        if (!c.present()) {
            c.error("must be a mapping with name and app or template, not null");
            return null;
        }
        if (!c.mapping()) return null;
        c.allowOnly(FIELDS);
        StepSite site = new StepSite(index, c);
        site.name = MetadataReader.dnsLabel(c.field("name"), true);
        Cursor appField = c.field("app");
        Cursor templateField = c.field("template");
        String app = MetadataReader.dnsLabel(appField, false);
        AppSpec template = null;
        if (appField.present() && templateField.present()) {
            templateField.error("conflicts with app; a step runs either the App named by app or an inline template");
        } else if (!appField.present() && !templateField.present()) {
            c.error("needs app (the name of an App) or template (an inline App spec)");
        }
        if (templateField.present()) {
            template = SpecReader.read(templateField, nodeArch);
            if (template != null) site.resources = template.resources();
        }
        site.afterField = c.field("after");
        List<String> after = after(site);
        Condition when = when(site, c.field("when"));
        StepIoReader io = new StepIoReader(site);
        var forEach = io.forEach(c.field("forEach"));
        var inputs = io.inputs(c.field("inputs"));
        var outputs = io.outputs(c.field("outputs"));
        Cursor timeoutField = c.field("timeout");
        Duration timeout = timeoutField.duration();
        if (timeout != null) site.timeout = new StepSite.Located<>(timeoutField, timeout);
        Retries retries = retries(c.field("retries"));
        site.step = new Step(site.name, app, template, after, when, forEach, inputs, outputs, timeout, retries);
        return site;
    }

    private static List<String> after(StepSite site) {
        Map<String, String> seen = new HashMap<>();
        for (Cursor item : site.afterField.items()) {
            if (!item.present()) {
                item.error("must be a step name, not null");
                continue;
            }
            String name = MetadataReader.dnsLabel(item, true);
            if (name == null) continue;
            String first = seen.putIfAbsent(name, item.path());
            if (first != null) item.error("duplicates " + first);
            else site.after.add(new StepSite.Located<>(item, name));
        }
        return site.after.stream().map(StepSite.Located::value).toList();
    }

    private static Condition when(StepSite site, Cursor c) {
        String text = c.nonEmptyString();
        if (text == null) return null;
        try {
            Condition when = Condition.parse(text);
            site.when = new StepSite.Located<>(c, when);
            return when;
        } catch (IllegalArgumentException e) {
            c.error(e.getMessage());
            return null;
        }
    }

    private static Retries retries(Cursor c) {
        if (!c.mapping()) return Retries.NONE;
        c.allowOnly("limit", "backoff");
        Integer limit = c.field("limit").integer(0, Retries.MAX_LIMIT);
        Duration backoff = c.field("backoff").duration();
        return new Retries(limit == null ? 0 : limit, backoff == null ? Retries.DEFAULT_BACKOFF : backoff);
    }
}
