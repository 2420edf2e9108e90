package io.orchide.cli;

import java.util.function.UnaryOperator;

/**
 * The environment variables a client verb reads ({@code ORCHIDE_SERVER}, {@code ORCHIDE_TOKEN},
 * {@code ORCHIDE_CONFIG}, {@code HOME}), through one door, so that the in-process tests can give a verb its own
 * environment instead of the test JVM's.
 */
final class Environment {
    private static volatile UnaryOperator<String> lookup = System::getenv;

    private Environment() {
    }

    static String get(String name) { return lookup.apply(name); }

    /** Runs {@code body} with {@code variables} as the whole environment; the real one is back after it. */
    static <T> T with(java.util.Map<String, String> variables, java.util.function.Supplier<T> body) {
        UnaryOperator<String> old = lookup;
        lookup = variables::get;
        try {
            return body.get();
        } finally {
            lookup = old;
        }
    }
}
