package io.orchide.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where data comes from, written {@code trigger} (the file that triggered the run), {@code item} (the file of a
 * forEach instance), {@code steps.<step>.outputs.<output>}, or {@code datasets.<dataset>} (every file of a dataset on
 * the node when the step starts) and {@code datasets.<dataset>/<glob>} (those whose name matches the glob, such as
 * {@code *.pgm}).
 */
public record DataRef(Source source, String step, String output, String dataset, String glob) {
    public enum Source { TRIGGER, ITEM, STEP_OUTPUT, DATASET }

    public static final DataRef TRIGGER = new DataRef(Source.TRIGGER, null, null);
    public static final DataRef ITEM = new DataRef(Source.ITEM, null, null);
    public static final String SYNTAX = "trigger, item, steps.<step>.outputs.<output>, datasets.<dataset> or "
            + "datasets.<dataset>/<glob>";
    /** The glob of a dataset input that names none: every file. */
    public static final String ALL = "*";

    private static final Pattern OUTPUT = Pattern.compile("steps\\.([^.\\s]+)\\.outputs\\.([^.\\s]+)");
    private static final Pattern DATASET = Pattern.compile("datasets\\.([^/\\s]+)(?:/(.*))?");

    /** A reference that names no dataset. */
    public DataRef(Source source, String step, String output) {
        this(source, step, output, null, null);
    }

    public static DataRef output(String step, String output) {
        return new DataRef(Source.STEP_OUTPUT, step, output);
    }

    /** The files of {@code dataset} whose names match {@code glob}. */
    public static DataRef dataset(String dataset, String glob) {
        return new DataRef(Source.DATASET, null, null, dataset, glob);
    }

    /**
     * Parses the wire form.
     *
     * @throws IllegalArgumentException when {@code text} is not in it or names are not DNS-1123 labels
     */
    public static DataRef parse(String text) {
        if (text.equals("trigger")) return TRIGGER;
        if (text.equals("item")) return ITEM;
        Matcher d = DATASET.matcher(text);
        if (d.matches()) {
            String problem = Names.dnsLabelProblem(d.group(1));
            if (problem != null) throw new IllegalArgumentException("dataset name " + problem);
            String glob = d.group(2) == null ? ALL : d.group(2);
            if (glob.isEmpty() || glob.contains("/") || glob.startsWith(".") || glob.chars().anyMatch(ch -> ch < 0x20)) {
                throw new IllegalArgumentException("the glob after datasets.<dataset>/ must be a file name pattern "
                        + "such as *.pgm, without '/' and not starting with '.'");
            }
            try {
                java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the glob after datasets.<dataset>/ does not read: " + e.getMessage());
            }
            return dataset(d.group(1), glob);
        }
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
            case DATASET -> "datasets." + dataset + (ALL.equals(glob) ? "" : "/" + glob);
        };
    }
}
