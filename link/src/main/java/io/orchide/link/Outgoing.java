package io.orchide.link;

import java.time.Duration;

/** What an application hands the link to send: the link gives it an id, a creation time and a checksum. */
public record Outgoing(String destination, String kind, int priority, Duration lifetime, byte[] payload) {
}
