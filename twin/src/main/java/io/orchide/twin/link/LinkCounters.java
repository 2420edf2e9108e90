package io.orchide.twin.link;

/**
 * What a {@link LinkEmulator} has carried since it started; every count is cumulative.
 *
 * @param bytesUp     payload bytes delivered from ground to the satellite
 * @param bytesDown   payload bytes delivered from the satellite to ground
 * @param framesLost  frames lost on the radio and retransmitted, both directions
 * @param connections connections accepted while the contact was open
 * @param refused     connections accepted while the contact was closed, and dropped at once
 * @param cuts        connections cut by the end of a contact or by closing the emulator
 */
public record LinkCounters(long bytesUp, long bytesDown, long framesLost, long connections, long refused, long cuts) {
}
