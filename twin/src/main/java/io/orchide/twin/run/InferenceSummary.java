package io.orchide.twin.run;

import java.util.List;

/**
 * The trusted models of a scenario at its end, as the nodes say: each Model an operator allowed on a satellite, and
 * each tenant pipeline that declares models, on every satellite.
 */
public record InferenceSummary(List<Allowed> models, List<Use> uses) {
    public InferenceSummary {
        models = List.copyOf(models);
        uses = List.copyOf(uses);
    }

    /**
     * A Model an operator allowed on {@code satellite}: of {@code tenant}, its file {@code digest} signed with the key
     * the root delegates to {@code signedBy} (null: unsigned); {@code held}: the node lists it, {@code present}: its
     * file is there, {@code loaded}: the broker holds a session of it.
     */
    public record Allowed(String satellite, String name, String tenant, String version, String digest, String signedBy,
                          boolean held, boolean present, boolean loaded) {
    }

    /**
     * A pipeline of {@code tenant} whose steps declare {@code models}, on {@code satellite}: {@code refused}, the
     * reason the node gave for not taking it (null when it took it); its {@code runs}; the step attempts that declare a
     * model and succeeded ({@code answered}: each had the broker run its model); the inferences the broker refused it
     * ({@code brokerRefused}, from the node's audit), with the last reason.
     */
    public record Use(String satellite, String tenant, String pipeline, List<String> models, String refused, int runs,
                      int answered, int brokerRefused, String lastBrokerRefusal) {
        public Use {
            models = List.copyOf(models);
        }
    }
}
