package io.orchide.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where data comes from, written {@code trigger} (the file that triggered the run), {@code item} (the file of a
 * forEach instance) or {@code steps.<step>.outputs.<output>}.
 */
public record DataRef(Source source, String step, String output) {
    public enum Source { TRIGGER, ITEM, STEP_OUTPUT }

    public static final DataRef TRIGGER = new DataRef(Source.TRIGGER, null, null);
    public static final DataRef ITEM = new DataRef(Source.ITEM, null, null);
    public static final String SYNTAX = "trigger, item or steps.<step>.outputs.<output>";

    private static final Pattern OUTPUT = Pattern.compile("steps\\.([^.\\s]+)\\.outputs\\.([^.\\s]+)");

    public static DataRef output(String step, String output) {
        return new DataRef(Source.STEP_OUTPUT, step, output);
    }

    /**
     * Parses the wire form.
     *
     * @throws IllegalArgumentException when {@code text} is not in it or names are not DNS-1123 labels
     */
    public static DataRef parse(String text) {
        if (text.equals("trigger")) return TRIGGER;
        if (text.equals("item")) return ITEM;
        Matcher m = OUTPUT.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("must be " + SYNTAX);
        for (int g = 1; g <= 2; g++) {
            String problem = Names.dnsLabelProblem(m.group(g));
            if (problem != null) {
                throw new IllegalArgumentException((g == 1 ? "step" : "output") + " name " + problem);
            }
        }
        return output(m.group(1), m.group(2));
    }

    @Override public String toString() {
        return switch (source) {
            case TRIGGER -> "trigger";
            case ITEM -> "item";
            case STEP_OUTPUT -> "steps." + step + ".outputs." + output;
        };
    }
}
