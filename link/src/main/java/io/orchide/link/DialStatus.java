package io.orchide.link;

import java.time.Instant;

/**
 * Where a dialling endpoint stands: the {@code addresses} as configured, the {@code current} target (the one in
 * session, or being tried, or tried last while it waits; null before the first attempt), whether a session with it is
 * {@code connected}, the {@code lastFailure} of an attempt (null when none failed since the last session) and, while
 * it waits between attempts, when it tries next ({@code nextAttempt}, else null).
 */
public record DialStatus(String addresses, String current, boolean connected, String lastFailure, Instant nextAttempt) {
}
