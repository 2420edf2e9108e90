package io.orchide.model;

/** A file or directory handed to a step under {@code name}, taken {@code from} the trigger, the item or an output. */
public record StepInput(String name, DataRef from) {
}
