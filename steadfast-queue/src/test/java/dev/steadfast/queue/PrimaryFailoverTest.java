package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.ReplicatedPair;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A primary and a GTID replica named in one URL, two workers (one per driver) running transactional ledger jobs as
 * an application user (read_only binds it): a planned switchover and then a crash of the new primary with a failover
 * to the old one, while jobs run. Every job succeeds and its effect is in the ledger exactly once, on the server that
 * is primary at the end; no handler sees a connection error.
 */
class PrimaryFailoverTest {
    private static final int JOBS = 3_000;

    @Test
    void jobsRunExactlyOnceThroughASwitchoverAndACrashFailover() throws Exception {
        try (ReplicatedPair pair = ReplicatedPair.start()) {
            pair.primary()
                    .execute(
                            "CREATE USER app IDENTIFIED BY 'app'",
                            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON steadfast.* TO app",
                            "CREATE TABLE ledger (job_id BIGINT PRIMARY KEY)");
            String name = "failover";
            try (ResilientDatabase admin = ResilientDatabase.builder()
                    .jdbcUrl(pair.primary().url(JdbcDriver.MARIADB))
                    .username(pair.primary().user())
                    .password(pair.primary().password())
                    .build()) {
                JobQueue queue = JobQueue.create(admin); // the schema, as the administrator
                List<JobRequest> jobs = new ArrayList<>();
                for (int i = 0; i < JOBS; i++) {
                    jobs.add(JobRequest.of("ledger").queue(name).maxAttempts(25).build());
                }
                queue.enqueueAll(jobs);
            }
            String url = pair.url(JdbcDriver.MARIADB);
            try (ResilientDatabase one = app(url);
                    ResilientDatabase two = app(JdbcDriver.MYSQL.rewrite(url))) {
                Worker first = worker(JobQueue.create(one), name);
                Worker second = worker(JobQueue.create(two), name);
                first.start();
                second.start();
                try {
                    awaitLedger(pair, JOBS / 3);
                    pair.switchover();
                    awaitLedger(pair, 2 * JOBS / 3);
                    pair.failover(); // the primary after the switchover dies; the first server takes over again
                    awaitLedger(pair, JOBS);
                } finally {
                    first.stop();
                    second.stop();
                    first.awaitTermination(Duration.ofSeconds(30));
                    second.awaitTermination(Duration.ofSeconds(30));
                }
                assertThat(one.servers().writer())
                        .as("writing through the first server again")
                        .isZero();
            }
            assertThat(pair.primary()
                            .queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'failover' AND state = 'succeeded'"))
                    .as("every job succeeded")
                    .isEqualTo(JOBS);
            assertThat(pair.primary().queryLong("SELECT COUNT(*) FROM ledger"))
                    .as("each effect once")
                    .isEqualTo(JOBS);
            assertThat(pair.primary()
                            .queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = 'failover' AND last_error IS NOT NULL"
                                    + " AND last_error NOT LIKE '%LeaseExpiredException%'"))
                    .as("no handler saw a connection error")
                    .isZero();
        }
    }

    private static ResilientDatabase app(String url) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(url)
                .username("app")
                .password("app")
                .build();
    }

    private static Worker worker(JobQueue queue, String name) {
        return QueueTestSupport.fastWorker(queue, name)
                .concurrency(4)
                .lease(Duration.ofSeconds(5))
                .handler(new Handlers.LedgerAppend("ledger"))
                .build();
    }

    /** Waits until the ledger, as the current primary has it, holds {@code rows} rows. */
    private static void awaitLedger(ReplicatedPair pair, int rows) {
        await(rows + " ledger rows")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(SQLException.class) // the primary is changing
                .until(() -> pair.primary().queryLong("SELECT COUNT(*) FROM ledger") >= rows);
    }
}
