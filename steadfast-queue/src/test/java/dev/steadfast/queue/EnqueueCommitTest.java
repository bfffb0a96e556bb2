package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.CommitCut;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single enqueue whose COMMIT is cut off, before or after the server received it: the job row proves the
 * outcome (no commit-marker row is written), and the job exists exactly once either way.
 */
class EnqueueCommitTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @BeforeAll
    static void schema() throws SQLException {
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, JdbcDriver.MARIADB)) {
            JobQueue.create(db);
        }
    }

    @ParameterizedTest
    @CsvSource({"MARIADB, AFTER_COMMIT", "MARIADB, BEFORE_COMMIT", "MYSQL, AFTER_COMMIT", "MYSQL, BEFORE_COMMIT"})
    void anEnqueueCutAtCommitLeavesExactlyOneJob(JdbcDriver driver, CommitCut cut) throws Exception {
        String name = QueueTestSupport.uniqueQueue("cut");
        try (FaultProxy proxy = FaultProxy.inFrontOf(SERVER);
             ResilientDatabase db = ResilientDatabase.builder().jdbcUrl(SERVER.urlVia(driver, proxy.port()))
                     .username(SERVER.user()).password(SERVER.password()).build()) {
            JobQueue queue = JobQueue.create(db, new com.fasterxml.jackson.databind.ObjectMapper(), false);
            long markersBefore = SERVER.queryLong("SELECT COUNT(*) FROM sf_tx_outcome");
            proxy.armCommitCut(cut);
            Enqueued enqueued = queue.submit(JobRequest.of("noop").queue(name).build());
            assertThat(proxy.commitCutsFired()).isEqualTo(1);
            assertThat(enqueued.matchedExisting()).isFalse();
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name + "'")).as("exactly once").isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + enqueued.id() + " AND queue = '" + name + "'"))
                    .as("the id returned is the job's").isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_tx_outcome")).as("no marker row for an enqueue")
                    .isLessThanOrEqualTo(markersBefore);
        }
    }
}
