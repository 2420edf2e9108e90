package io.orchide.cli;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Resource type words the verbs accept, and name checks before anything is sent. */
final class Resources {
    /** The resource types of the API, each with the words that name it on the command line. */
    enum Kind {
        WORKLOAD("workload", "workloads", "wl"),
        PIPELINE("pipeline", "pipelines", "pl"),
        RUN("run", "runs"),
        PRODUCT("product", "products"),
        SATELLITE("satellite", "satellites", "sat"),
        EVENT("event", "events", "ev"),
        AUDIT("audit", "audit"),
        TENANT("tenant", "tenants"),
        TOKEN("token", "tokens"),
        ROLEBINDING("rolebinding", "rolebindings", "rb"),
        PASS("pass", "passes"),
        STATION("station", "stations"),
        DATASET("dataset", "datasets", "ds"),
        SECRET("secret", "secrets"),
        NODEKEY("nodekey", "nodekeys"),
        DEVICE("device", "devices", "dev"),
        DEVICEGRANT("devicegrant", "devicegrants", "dg"),
        MODEL("model", "models");

        private final String singular;
        private final List<String> words;

        Kind(String singular, String... words) {
            this.singular = singular;
            this.words = List.of(words);
        }

        /** The word used in output, as in {@code run/NAME}. */
        String singular() { return singular; }

        String plural() { return words.getFirst(); }

        boolean matches(String word) { return word.equals(singular) || words.contains(word); }
    }

    private static final String NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    private Resources() {
    }

    /** The kind {@code type} names, which must be one of {@code allowed}: what {@code verb} works on. */
    static Kind kind(String verb, String type, Kind... allowed) {
        for (Kind k : allowed) if (k.matches(type)) return k;
        String known = Arrays.stream(allowed).map(Kind::plural).collect(Collectors.joining(", "));
        for (Kind k : Kind.values()) {
            if (k.matches(type)) throw new CliException(verb + " does not work on " + k.plural() + " (it takes: " + known + ")");
        }
        throw new CliException("unknown resource type " + type + " (" + verb + " takes: " + known + ")");
    }

    /** A workload, pipeline, step or event name: a DNS-1123 label. */
    static String name(String name) {
        if (!name.matches(NAME) || name.length() > 63) {
            throw new CliException("invalid name " + name + ": lower-case letters, digits and '-', at most 63");
        }
        return name;
    }

    /** A run name: its pipeline's name and a number, as in cloud-filter-000042 (so it may pass 63 characters). */
    static String runName(String name) {
        if (!name.matches(NAME) || name.length() > 90) {
            throw new CliException("invalid run name " + name + ": a pipeline name and a number, as in cloud-filter-000042");
        }
        return name;
    }

    /** The checked name of a resource of {@code kind}. */
    static String name(Kind kind, String name) {
        return kind == Kind.RUN ? runName(name) : name(name);
    }
}
