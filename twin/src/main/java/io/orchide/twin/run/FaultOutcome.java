package io.orchide.twin.run;

import io.orchide.twin.scenario.Fault;

/** A fault the scenario injected and how the system coped with it, in a sentence. */
public record FaultOutcome(Fault fault, String coped) {
}
