package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.CommitCut;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An enqueue whose COMMIT is cut off, before or after the server received it: the job rows prove the outcome (no
 * commit-marker row is written), and each job exists exactly once either way, for one job and for a bulk.
 */
@ExtendWith(SharedQueue.class)
class EnqueueCommitTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @ParameterizedTest
    @CsvSource({"MARIADB, AFTER_COMMIT", "MARIADB, BEFORE_COMMIT", "MYSQL, AFTER_COMMIT", "MYSQL, BEFORE_COMMIT"})
    void anEnqueueCutAtCommitLeavesExactlyOneJob(JdbcDriver driver, CommitCut cut) throws Exception {
        String name = QueueTestSupport.uniqueQueue("cut");
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
                ResilientDatabase db = QueueTestSupport.databaseVia(SERVER, driver, proxy)) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            long markersBefore = SERVER.queryLong("SELECT COUNT(*) FROM sf_tx_outcome");
            proxy.armCommitCut(cut);
            Enqueued enqueued = queue.submit(JobRequest.of("noop").queue(name).build());
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(enqueued.matchedExisting()).isFalse();
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "'"))
                    .as("exactly once")
                    .isEqualTo(1);
            assertThat(SERVER.queryLong(
                            "SELECT COUNT(*) FROM sf_job WHERE id = " + enqueued.id() + " AND queue = '" + name + "'"))
                    .as("the id returned is the job's")
                    .isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_tx_outcome"))
                    .as("no marker row for an enqueue")
                    .isLessThanOrEqualTo(markersBefore);
        }
    }

    @ParameterizedTest
    @CsvSource({"MARIADB, AFTER_COMMIT", "MARIADB, BEFORE_COMMIT", "MYSQL, AFTER_COMMIT", "MYSQL, BEFORE_COMMIT"})
    void aBulkEnqueueCutAtCommitLeavesEveryJobExactlyOnce(JdbcDriver driver, CommitCut cut) throws Exception {
        String name = QueueTestSupport.uniqueQueue("bulkcut");
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
                ResilientDatabase db = QueueTestSupport.databaseVia(SERVER, driver, proxy)) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            long live = queue.enqueue(
                    JobRequest.of("keyed").queue(name).uniqueKey("k").build());
            long markersBefore = SERVER.queryLong("SELECT COUNT(*) FROM sf_tx_outcome");
            List<JobRequest> requests = new ArrayList<>();
            requests.add(JobRequest.of("keyed").queue(name).uniqueKey("k").build());
            for (int i = 0; i < 1_200; i++) {
                requests.add(JobRequest.of("plain").queue(name).build());
            }
            proxy.armCommitCut(cut);
            List<Long> ids = queue.enqueueAll(requests);
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(ids.get(0)).isEqualTo(live);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "'"))
                    .as("exactly once")
                    .isEqualTo(1 + 1_200);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "' AND id IN ("
                            + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")"))
                    .as("the ids returned are the jobs'")
                    .isEqualTo(1 + 1_200);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_tx_outcome"))
                    .as("no marker row for an enqueue")
                    .isLessThanOrEqualTo(markersBefore);
        }
    }

    @ParameterizedTest
    @CsvSource({"MARIADB", "MYSQL"})
    void aSingleEnqueueIsOneInsertInItsOwnTransactionWithoutMarker(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("trips");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            queue.enqueue(JobRequest.of("noop").queue(name).build());
            int enqueues = 20;
            long[] before = writes();
            for (int i = 0; i < enqueues; i++) {
                queue.enqueue(JobRequest.of("noop").queue(name).build());
            }
            long[] after = writes();
            // START TRANSACTION, INSERT, COMMIT: the row proves the outcome, no marker row is written (starting the
            // transaction and inserting in one compound statement measured slower: BENCHMARKS.md)
            assertThat(after[0] - before[0]).as("transactions started").isEqualTo(enqueues);
            assertThat(after[1] - before[1]).as("inserts").isEqualTo(enqueues);
            assertThat(after[2] - before[2]).as("commits").isEqualTo(enqueues);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "'"))
                    .isEqualTo(enqueues + 1);
        }
    }

    /** The server's counts of transactions started, inserts and commits (all sessions; nothing else writes meanwhile). */
    private static long[] writes() throws SQLException {
        return new long[] {status("COM_BEGIN"), status("COM_INSERT"), status("COM_COMMIT")};
    }

    private static long status(String name) throws SQLException {
        return SERVER.queryLong(
                "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + name + "'");
    }

    @ParameterizedTest
    @CsvSource({"MARIADB", "MYSQL"})
    void enqueueWorksWithServerSidePreparedStatements(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("serverprep");
        try (ResilientDatabase db = ResilientDatabase.builder()
                .jdbcUrl(SERVER.url(driver, "useServerPrepStmts=true"))
                .username(SERVER.user())
                .password(SERVER.password())
                .build()) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            Enqueued first = queue.submit(
                    JobRequest.of("keyed").queue(name).uniqueKey("k").build());
            Enqueued again = queue.submit(
                    JobRequest.of("keyed").queue(name).uniqueKey("k").build());
            Enqueued other = queue.submit(JobRequest.of("plain").queue(name).build());
            assertThat(first.matchedExisting()).isFalse();
            assertThat(again.matchedExisting()).isTrue();
            assertThat(again.id()).isEqualTo(first.id());
            assertThat(other.id()).isNotEqualTo(first.id());
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "'"))
                    .isEqualTo(2);
        }
    }
}
