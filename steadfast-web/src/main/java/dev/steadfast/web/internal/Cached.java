package dev.steadfast.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * A value computed at most once per {@code ttl}, whatever the request rate: a probe hammered by a client
 * costs the database one check per period, and concurrent callers wait for one computation instead of
 * each starting their own.
 */
final class Cached<T> {
    private final Callable<T> compute;
    private final Duration ttl;
    private final Clock clock;
    private T value;
    private Instant computedAt;

    Cached(Callable<T> compute, Duration ttl, Clock clock) {
        this.compute = compute;
        this.ttl = ttl;
        this.clock = clock;
    }

    synchronized T get() throws Exception {
        Instant now = clock.instant();
        if (computedAt == null || !now.isBefore(computedAt.plus(ttl))) {
            value = compute.call();
            computedAt = clock.instant();
        }
        return value;
    }
}
