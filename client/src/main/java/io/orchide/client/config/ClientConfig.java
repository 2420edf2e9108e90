package io.orchide.client.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client's configuration file as values: named contexts, kept in the order they were made, and the current one
 * (null when none is chosen). Names are unique.
 */
public record ClientConfig(String currentContext, List<Context> contexts) {
    public static final ClientConfig EMPTY = new ClientConfig(null, List.of());

    public ClientConfig {
        contexts = List.copyOf(contexts);
    }

    public Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The current context; empty when none is chosen. */
    public Optional<Context> current() {
        return currentContext == null ? Optional.empty() : context(currentContext);
    }

    /** This configuration with {@code change} made or merged over the context of its name. */
    public ClientConfig withContext(Context change) {
        List<Context> next = new ArrayList<>(contexts);
        int at = indexOf(change.name());
        if (at < 0) next.add(change);
        else next.set(at, next.get(at).merged(change));
        return new ClientConfig(currentContext, next);
    }

    /** This configuration with {@code name} as the current context, which must exist. */
    public ClientConfig using(String name) {
        if (indexOf(name) < 0) {
            throw new IllegalArgumentException("no context named " + name + " (contexts: "
                    + (contexts.isEmpty() ? "none yet" : String.join(", ", contexts.stream().map(Context::name).toList()))
                    + "); make it with `orchide config set-context " + name + " --server URL`");
        }
        return new ClientConfig(name, contexts);
    }

    private int indexOf(String name) {
        for (int i = 0; i < contexts.size(); i++) if (contexts.get(i).name().equals(name)) return i;
        return -1;
    }
}
