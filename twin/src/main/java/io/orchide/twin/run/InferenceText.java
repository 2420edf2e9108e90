package io.orchide.twin.run;

import java.util.ArrayList;
import java.util.List;

/** The trusted models of a scenario as the terminal shows them at its end. */
final class InferenceText {
    private InferenceText() {
    }

    static List<String> lines(InferenceSummary s) {
        List<String> out = new ArrayList<>();
        for (InferenceSummary.Allowed m : s.models()) {
            String state = !m.held() ? "NOT held on board"
                    : "held, its file " + (m.present() ? "present" : "NOT present") + ", "
                    + (m.loaded() ? "loaded by the broker" : "not loaded (no inference asked)");
            out.add("models: " + m.name() + " v" + m.version() + " of " + m.tenant() + " allowed on " + m.satellite()
                    + " by an operator (" + Digests.shortName(m.digest()) + ", "
                    + (m.signedBy() == null ? "unsigned" : "its file signed with " + m.signedBy() + "'s delegated key")
                    + "): " + state);
        }
        for (InferenceSummary.Use u : s.uses()) {
            String who = u.tenant() + "'s " + u.pipeline() + " (" + String.join(", ", u.models()) + ") on " + u.satellite();
            if (u.refused() != null) {
                out.add("inference: " + who + " refused on board: " + u.refused());
                continue;
            }
            out.add("inference: " + who + ": " + u.runs() + " run(s), " + u.answered() + " inference(s) answered by the broker, "
                    + u.brokerRefused() + " refused" + (u.lastBrokerRefusal() == null ? "" : " (last: " + u.lastBrokerRefusal() + ")"));
        }
        return out;
    }
}
