package dev.steadfast.queue.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way out of {@code running} on a real server: each gives the concurrency slot of its key back and writes the
 * attempt's history line, once, and only when the job's own row changed (a second exit under the same lease changes
 * nothing, so it frees nothing).
 */
class LeavingRunningTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();
    private static final JobFailure BOOM = JobFailure.of("java.lang.IllegalStateException", "boom");
    private static ResilientDatabase db;
    private static JobQueue queue;
    private final Store store = new Store();

    /** One exit of a worker's own (fenced by its lease): true when the job's row changed. */
    @FunctionalInterface
    private interface Exit {
        boolean leave(LeavingRunning leaving, Connection tx, ClaimedJob job) throws SQLException;
    }

    @BeforeAll
    static void open() throws SQLException {
        db = ResilientDatabase.builder()
                .jdbcUrl(SERVER.url(JdbcDriver.MARIADB))
                .username(SERVER.user())
                .password(SERVER.password())
                .build();
        queue = JobQueue.create(db);
    }

    @AfterAll
    static void close() throws SQLException {
        // nothing of these jobs is left for other tests on the shared server to count (type "t" has no handler)
        SERVER.execute(
                "DELETE f FROM sf_failed_job f JOIN sf_job j ON j.id = f.job_id WHERE j.queue LIKE 'exit-%' OR j.queue LIKE 'expired-%'",
                "DELETE FROM sf_job WHERE queue LIKE 'exit-%' OR queue LIKE 'expired-%'",
                "DELETE FROM sf_concurrency WHERE concurrency_key LIKE 'exit-%' OR concurrency_key LIKE 'expired-%'");
        db.close();
    }

    @Test
    void eachExitOfAWorkerFreesTheSlotOnceAndOnlyWhenItsRowChanged() throws Exception {
        Map<String, Exit> exits = new LinkedHashMap<>();
        exits.put("succeeded", LeavingRunning::markSucceeded);
        exits.put("cancelled", LeavingRunning::markCancelled);
        exits.put("retried", (leaving, tx, job) -> leaving.scheduleRetry(tx, job, Duration.ZERO, BOOM));
        exits.put("failed", (leaving, tx, job) -> leaving.markFailed(tx, job, BOOM, "w"));
        exits.put("released", (leaving, tx, job) -> leaving.release(tx, List.of(job)) == 1);
        exits.put("succeeded in a batch", (leaving, tx, job) -> leaving.markAllSucceeded(tx, List.of(job)) == 1);
        for (Map.Entry<String, Exit> exit : exits.entrySet()) {
            String key = "exit-" + Long.toHexString(System.nanoTime());
            List<ClaimedJob> claimed = claimTwo(key, Duration.ofMinutes(5));
            ClaimedJob job = claimed.get(0);
            assertThat(db.<Boolean>transaction(tx -> exit.getValue().leave(store.leaving(), tx, job)))
                    .as(exit.getKey())
                    .isTrue();
            assertThat(running(key))
                    .as(exit.getKey() + ": its slot back, the other job's kept")
                    .isEqualTo(1);
            assertThat(db.<Boolean>transaction(tx -> exit.getValue().leave(store.leaving(), tx, job)))
                    .as(exit.getKey() + " again under the same lease")
                    .isFalse();
            assertThat(running(key)).as(exit.getKey() + " again frees nothing").isEqualTo(1);
            String word = exit.getKey().startsWith("succeeded") ? "succeeded" : exit.getKey();
            long logged = SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + job.id()
                    + " AND attempt_log LIKE '%\"" + word + "\"%'");
            assertThat(logged)
                    .as(exit.getKey() + ": the attempt's line (a release does not count the attempt)")
                    .isEqualTo(word.equals("released") ? 0 : 1);
        }
        assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_failed_job f JOIN sf_job j ON j.id = f.job_id"
                        + " WHERE j.concurrency_key LIKE 'exit-%' AND f.worker = 'w'"))
                .as("the failed one's record")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anExpiredLeaseRequeuedOrFailedFreesItsSlotAndLogsTheAttempt() throws Exception {
        for (boolean exhausted : new boolean[] {false, true}) {
            String key = "expired-" + Long.toHexString(System.nanoTime());
            ClaimedJob job = claimTwo(key, Duration.ofMillis(1)).get(0);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> db.<Boolean>transaction(tx -> {
                        for (Leases.ExpiredLease lease : store.leases().lockExpiredLeases(tx, 10_000)) {
                            if (lease.jobId() == job.id()) {
                                if (exhausted) {
                                    store.leaving().failExpired(tx, lease, BOOM);
                                } else {
                                    store.leaving().requeueExpired(tx, lease, BOOM);
                                }
                                return true;
                            }
                        }
                        return false;
                    }));
            assertThat(running(key))
                    .as("the expired job's slot back, the other's kept")
                    .isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + job.id() + " AND state = '"
                            + (exhausted ? "failed" : "pending") + "' AND attempt_log LIKE '%lease expired%'"))
                    .isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_failed_job WHERE job_id = " + job.id()))
                    .as("a failed-job record only for the exhausted one")
                    .isEqualTo(exhausted ? 1 : 0);
        }
    }

    /** Two jobs of a key limited to 2, claimed under one lease; both slots taken. */
    private List<ClaimedJob> claimTwo(String key, Duration lease) throws SQLException {
        String name = key + "-q";
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            requests.add(JobRequest.of("t")
                    .queue(name)
                    .concurrencyLimit(key, 2)
                    .maxAttempts(1)
                    .build());
        }
        queue.enqueueAll(requests);
        long token = System.nanoTime();
        List<ClaimedJob> claimed =
                db.transaction(tx -> store.claims().claim(tx, List.of(name), List.of("t"), 2, "w", token, lease));
        assertThat(claimed).hasSize(2);
        assertThat(running(key)).isEqualTo(2);
        return claimed;
    }

    private static long running(String key) throws SQLException {
        return SERVER.queryLong("SELECT running FROM sf_concurrency WHERE concurrency_key = '" + key + "'");
    }
}
