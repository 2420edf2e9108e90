package io.orchide.ground.desired;

/**
 * Seals each desired-state change for its satellite before it goes into the outbox: ground's director signature
 * (its key, the one nodes pin), which a node verifies before it applies anything.
 */
@FunctionalInterface
public interface Director {
    /** Sends changes as they are: a ground with no key (tests of ground alone). */
    Director NONE = (satellite, change) -> change;

    byte[] seal(String satellite, byte[] change);
}
