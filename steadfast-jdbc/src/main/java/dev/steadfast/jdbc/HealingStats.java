package dev.steadfast.jdbc;

import java.util.Map;

/**
 * What the healing layer of one {@link ResilientDatabase} has done since it was built, in detail: the
 * counters behind {@link ConnectionHealth} and behind the Micrometer meters (which are views of these
 * numbers: a registry that filters meters out changes nothing here).
 *
 * @param failuresByKind     failures seen by units of work, by classification (lower-case kind names)
 * @param transactionReplays transactions run again on a fresh connection
 * @param readReplays        reads run again on a fresh connection
 * @param commitResolutions  interrupted commits resolved, by result ({@code committed}, {@code rolled_back}, {@code unknown})
 * @param fences             old server sessions killed before a replay or a resolution
 * @param heals              units that succeeded after a connection failure
 * @param meanHealMillis     their mean time from first failure to success
 * @param maxHealMillis      the longest such time
 */
public record HealingStats(
        Map<String, Long> failuresByKind,
        long transactionReplays,
        long readReplays,
        Map<String, Long> commitResolutions,
        long fences,
        long heals,
        double meanHealMillis,
        double maxHealMillis) {

    public HealingStats {
        failuresByKind = Map.copyOf(failuresByKind);
        commitResolutions = Map.copyOf(commitResolutions);
    }

    /** Units replayed, transactions and reads together. */
    public long replays() {
        return transactionReplays + readReplays;
    }
}
