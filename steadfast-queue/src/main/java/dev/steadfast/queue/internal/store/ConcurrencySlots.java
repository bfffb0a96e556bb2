package dev.steadfast.queue.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Concurrency limits ({@code sf_concurrency}): a keyed job takes a slot of its key when claimed and gives it back
 * when it leaves running ({@link LeavingRunning}); jobs without a key cost nothing here.
 */
final class ConcurrencySlots {
    // a job whose key has no free slot is left out of claims and idle polls, so waiting jobs cause no polling (a plain
    // read of a small table inside the claim, as for paused queues)
    static final String NOT_AT_LIMIT = " AND (concurrency_key IS NULL OR concurrency_key NOT IN"
            + " (SELECT k.concurrency_key FROM sf_concurrency k WHERE k.running >= k.max_running))";

    private ConcurrencySlots() {}

    /** Makes sure each key of these new jobs has its limit (the last enqueue's), in the enqueue's transaction. */
    static void declare(Connection tx, List<NewJob> jobs) throws SQLException {
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (NewJob job : jobs) {
            if (job.concurrencyKey() != null) {
                limits.put(job.concurrencyKey(), job.concurrencyLimit());
            }
        }
        if (limits.isEmpty()) {
            return;
        }
        Sql.batch(
                tx,
                "INSERT INTO sf_concurrency (concurrency_key, max_running) VALUES (?, ?)"
                        + " ON DUPLICATE KEY UPDATE max_running = VALUES(max_running), updated_at = NOW(3)",
                limits.entrySet(),
                (s, limit) -> Sql.bind(s, 1, limit.getKey(), limit.getValue()));
    }

    /**
     * The claimed candidates that may run: each keyed one takes a slot of its key, under the key row's lock, or stays
     * pending (its row lock goes with the claim's commit). Jobs without a key cost nothing here.
     */
    static List<ClaimedJob> take(Connection tx, List<ClaimedJob> candidates) throws SQLException {
        if (candidates.stream().allMatch(job -> job.concurrencyKey() == null)) {
            return candidates;
        }
        List<ClaimedJob> taken = new ArrayList<>(candidates.size());
        Set<String> full = new HashSet<>(); // a key found full stays full until this claim commits
        try (PreparedStatement s = tx.prepareStatement("UPDATE sf_concurrency SET running = running + 1"
                + " WHERE concurrency_key = ? AND running < max_running")) {
            for (ClaimedJob job : candidates) {
                if (job.concurrencyKey() == null) {
                    taken.add(job);
                    continue;
                }
                if (full.contains(job.concurrencyKey())) {
                    continue;
                }
                s.setString(1, job.concurrencyKey());
                if (s.executeUpdate() == 1) {
                    taken.add(job);
                } else {
                    full.add(job.concurrencyKey());
                }
            }
        }
        return taken;
    }

    /** Gives back the slot of a keyed job that stopped running, in the transaction that records why. */
    static void free(Connection tx, String concurrencyKey) throws SQLException {
        if (concurrencyKey == null) {
            return;
        }
        Sql.update(
                tx,
                "UPDATE sf_concurrency SET running = running - 1 WHERE concurrency_key = ? AND running > 0",
                concurrencyKey);
    }
}
