package dev.steadfast.jdbc.retry;

import dev.steadfast.jdbc.internal.classify.FailureClassifier;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a step of a start (reading the server's settings, the schema check, a migration) again after it lost its
 * connection or its server, as a unit of work is run again: with {@link Backoff}, until {@code patience} has passed.
 * What a failure means is {@link FailureClassifier}'s to say, for the first {@link SQLException} in the cause chain (Flyway and HikariCP wrap the driver's): a connection-class failure is
 * waited out; anything else (a refused password, an unknown database, a schema too new) is thrown at once, since
 * waiting cannot mend it. Past the patience (counted from the step's start) the last failure is thrown.
 */
public final class StartupRetry {
    private static final Logger LOG = LoggerFactory.getLogger(StartupRetry.class);
    private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));

    private final String step;
    private final Duration unreachablePatience;
    private final Duration patience;
    private final Backoff backoff;
    private final Clock clock;
    private final FailureClassifier classifier = new FailureClassifier();
    private Predicate<Throwable> alsoLost = failure -> false;

    /**
     * @param step     what is being done, for the log ("checking the schema")
     * @param patience how long to keep trying while the database is lost; zero: try once
     */
    public StartupRetry(String step, Duration patience) {
        this(step, patience, patience, Clock.systemUTC(), BACKOFF);
    }

    /**
     * @param unreachablePatience how long to keep trying while nothing answers at all (refused, no route, unknown host)
     * @param patience            how long to keep trying after any other connection-class failure (a connection cut)
     */
    public StartupRetry(String step, Duration unreachablePatience, Duration patience) {
        this(step, unreachablePatience, patience, Clock.systemUTC());
    }

    /** As {@link #StartupRetry(String, Duration, Duration)}, the patience measured on the given clock. */
    public StartupRetry(String step, Duration unreachablePatience, Duration patience, Clock clock) {
        this(step, unreachablePatience, patience, clock, BACKOFF);
    }

    StartupRetry(String step, Duration unreachablePatience, Duration patience, Clock clock, Backoff backoff) {
        this.step = Objects.requireNonNull(step);
        this.unreachablePatience = Objects.requireNonNull(unreachablePatience);
        this.patience = Objects.requireNonNull(patience);
        this.clock = Objects.requireNonNull(clock);
        this.backoff = backoff;
    }

    /**
     * Also counts as a lost connection a failure a library reports without the driver's exception (Flyway reads the
     * server's version on a fresh connection and, when that read fails, throws only that the version is '').
     */
    public StartupRetry alsoLostWhen(Predicate<Throwable> lost) {
        this.alsoLost = Objects.requireNonNull(lost);
        return this;
    }

    /** A step of a start; it may throw what its library throws (Flyway's runtime exceptions, the driver's). */
    @FunctionalInterface
    public interface Step<T, E extends Exception> {
        T run() throws E;
    }

    /** Something to do between a failed attempt and the next (Flyway's repair of a cut migration). */
    @FunctionalInterface
    public interface BeforeRetry {
        void run(Exception failure);
    }

    /** Runs the step, again after each connection-class failure, until it succeeds or the patience is spent. */
    public <T, E extends Exception> T run(Step<T, E> work) throws E {
        return run(work, failure -> {});
    }

    /** {@link #run(Step)}, calling {@code beforeRetry} before each new attempt. */
    public <T, E extends Exception> T run(Step<T, E> work, BeforeRetry beforeRetry) throws E {
        Instant began = clock.instant();
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (Exception e) {
                Duration left =
                        Duration.between(clock.instant(), began.plus(unreachable(e) ? unreachablePatience : patience));
                if (!connectionLost(e) || left.isNegative() || left.isZero()) {
                    throw e;
                }
                Duration pause = backoff.pause(attempt, left);
                if (attempt == 1) { // one line says the start waits; each further attempt only at debug level
                    LOG.info(
                            "database lost while {}: {}; waiting for it (up to {} s)",
                            step,
                            firstLine(e),
                            Math.max(1, left.toSeconds()));
                } else {
                    LOG.debug(
                            "database still lost while {} (attempt {}): {}; trying again in {} ms",
                            step,
                            attempt,
                            firstLine(e),
                            pause.toMillis());
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                beforeRetry.run(e);
            }
        }
    }

    /** Whether the failure, or the first SQL failure it wraps, says the connection or its server was lost. */
    public boolean connectionLost(Throwable failure) {
        SQLException sql = firstSqlCause(failure);
        return sql != null ? classifier.classify(sql).connectionBroken() : alsoLost.test(failure);
    }

    /** Whether nothing answered at all (refused, no route, unknown host), as opposed to a connection cut once made. */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /** The first {@link SQLException} in the cause chain; null when there is none. */
    public static SQLException firstSqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String firstLine(Throwable e) {
        SQLException sql = firstSqlCause(e);
        String message = sql != null && sql != e ? e.getMessage() + " (" + sql.getMessage() + ")" : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
