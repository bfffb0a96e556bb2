package dev.steadfast.jdbc.internal.discovery;

import dev.steadfast.jdbc.PoolSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives HikariCP's timings from the server's effective session {@code wait_timeout}, so that the
 * pool retires or pings a connection before the server closes it. Settings the user made explicitly
 * are kept where they can work; where they cannot, they are corrected and a warning with the numbers
 * says why.
 */
public final class PoolTuning {
    /** HikariCP refuses a maxLifetime or keepaliveTime below 30 s and an idleTimeout below 10 s. */
    static final Duration HIKARI_MIN_LIFETIME = Duration.ofSeconds(30);

    static final Duration HIKARI_MIN_KEEPALIVE = Duration.ofSeconds(30);
    static final Duration HIKARI_MIN_IDLE = Duration.ofSeconds(10);

    private PoolTuning() {}

    /**
     * @param sessionWaitTimeout the server's idle timeout for the pool's sessions
     * @param requested          HikariCP's values as configured (defaults or the user's)
     * @param explicit           which of them the user set, in order: maxLifetime, keepaliveTime, idleTimeout
     */
    public static Result tune(Duration sessionWaitTimeout, PoolSettings requested, boolean[] explicit) {
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Duration margin = max(Duration.ofSeconds(5), sessionWaitTimeout.dividedBy(10));
        Duration budget = sessionWaitTimeout.minus(margin);

        Duration maxLifetime = requested.maxLifetime();
        if (budget.compareTo(HIKARI_MIN_LIFETIME) < 0) {
            notes.add("server wait_timeout is " + sessionWaitTimeout.toSeconds() + " s, below the "
                    + HIKARI_MIN_LIFETIME.plus(margin).toSeconds()
                    + " s HikariCP needs to retire connections before the "
                    + "server closes them; idle connections will be closed by the server and replaced when borrowed "
                    + "(liveness check). Raise wait_timeout to at least "
                    + HIKARI_MIN_LIFETIME.plus(margin).toSeconds()
                    + " s to avoid those reconnects.");
        } else if (maxLifetime.isZero() || maxLifetime.compareTo(budget) > 0) {
            if (explicit[0]) {
                warnings.add("maxLifetime " + maxLifetime.toMillis()
                        + " ms is not safely below the server's wait_timeout of " + sessionWaitTimeout.toSeconds()
                        + " s; using " + budget.toMillis() + " ms instead");
            }
            maxLifetime = budget;
        }

        Duration keepalive = requested.keepaliveTime();
        Duration keepaliveBudget = budget.dividedBy(2);
        if (keepalive.compareTo(keepaliveBudget) > 0
                || (!keepalive.isZero() && keepalive.compareTo(maxLifetime) >= 0)) {
            Duration corrected =
                    keepaliveBudget.compareTo(HIKARI_MIN_KEEPALIVE) >= 0 && keepaliveBudget.compareTo(maxLifetime) < 0
                            ? keepaliveBudget
                            : Duration.ZERO;
            if (explicit[1]) {
                warnings.add("keepaliveTime " + keepalive.toMillis() + " ms would let the server's wait_timeout of "
                        + sessionWaitTimeout.toSeconds() + " s close idle connections first; using "
                        + (corrected.isZero() ? "no keepalive" : corrected.toMillis() + " ms") + " instead");
            }
            keepalive = corrected;
        }

        Duration idle = requested.idleTimeout();
        if (!idle.isZero() && idle.compareTo(budget) > 0 && budget.compareTo(HIKARI_MIN_IDLE) >= 0) {
            if (explicit[2]) {
                warnings.add("idleTimeout " + idle.toMillis() + " ms is not below the server's wait_timeout of "
                        + sessionWaitTimeout.toSeconds() + " s; using " + budget.toMillis() + " ms instead");
            }
            idle = budget;
        }
        return new Result(new PoolSettings(maxLifetime, keepalive, idle), List.copyOf(warnings), List.copyOf(notes));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Settings to apply, what to warn about (settings the user gave that were changed) and notes about the
     * server that the pool copes with (a short wait_timeout: said at INFO, reported by doctor, not a warning on
     * every start).
     */
    public record Result(PoolSettings settings, List<String> warnings, List<String> notes) {}
}
