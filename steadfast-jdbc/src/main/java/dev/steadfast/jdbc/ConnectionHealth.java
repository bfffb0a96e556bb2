package dev.steadfast.jdbc;

import java.time.Instant;

/**
 * What this database's units of work have lived through since it was built: a snapshot, cheap to take
 * (it reads counters), for dashboards and heartbeats that report it elsewhere.
 *
 * @param losses     connection losses seen by units of work (before sending, possibly executed, read-only server)
 * @param heals      units that succeeded after at least one loss
 * @param evictions  pooled connections found dead when borrowed and replaced before use
 * @param gaveUp     units that failed for good (deadline, attempts, unknown commit outcome)
 * @param lastHeal   when a unit last healed; null before the first
 * @param unreachableSince when the first connection failure after the last successful unit happened: the
 *                   database has not been reached since; null while units succeed
 */
public record ConnectionHealth(
        long losses, long heals, long evictions, long gaveUp, Instant lastHeal, Instant unreachableSince) {}
