package dev.steadfast.jdbc.internal.unit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A point in time on a given clock after which a unit of work stops retrying. */
record Deadline(Clock clock, Instant end) {

    static Deadline after(Clock clock, Duration duration) {
        return new Deadline(clock, clock.instant().plus(duration));
    }

    boolean passed() {
        return !clock.instant().isBefore(end);
    }

    Duration remaining() {
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
