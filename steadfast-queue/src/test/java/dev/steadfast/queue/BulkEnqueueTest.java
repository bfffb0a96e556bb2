package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link JobQueue#enqueueAll}: many rows to a statement, ids answered in the caller's order, unique keys still
 * matching live jobs, large payloads split over statements (a cut COMMIT: {@link EnqueueCommitTest}).
 */
@ExtendWith(SharedQueue.class)
class BulkEnqueueTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @ParameterizedTest
    @EnumSource(JdbcDriver.class)
    void idsFollowTheRequestsInOrderAcrossStatementsAndUniqueKeys(JdbcDriver driver) throws Exception {
        String name = QueueTestSupport.uniqueQueue("bulk");
        try (ResilientDatabase db = QueueTestSupport.database(SERVER, driver)) {
            JobQueue queue = JobQueue.create(db, new ObjectMapper(), false);
            long live = queue.enqueue(
                    JobRequest.of("keyed").queue(name).uniqueKey("live-key").build());

            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) { // more rows than one statement carries
                requests.add(JobRequest.of("plain")
                        .queue(name)
                        .priority(i % 3)
                        .payloadJson("{\"n\":" + i + "}")
                        .build());
            }
            requests.add(
                    JobRequest.of("keyed").queue(name).uniqueKey("live-key").build()); // matches the live job
            requests.add(JobRequest.of("keyed").queue(name).uniqueKey("new-key").build());
            requests.add(JobRequest.of("keyed").queue(name).uniqueKey("new-key").build()); // matches the row before
            String big =
                    "{\"blob\":\"" + "x".repeat(700_000) + "\"}"; // two of them exceed one statement's payload budget
            requests.add(JobRequest.of("big").queue(name).payloadJson(big).build());
            requests.add(JobRequest.of("big").queue(name).payloadJson(big).build());
            for (int i = 1_500; i < 1_600; i++) {
                requests.add(JobRequest.of("plain")
                        .queue(name)
                        .payloadJson("{\"n\":" + i + "}")
                        .delay(Duration.ofHours(1))
                        .build());
            }

            long insertsBefore = globalStatus("Com_insert");
            Instant at = Instant.parse("2031-01-02T03:04:05.678Z");
            requests.add(JobRequest.of("plain")
                    .queue(name)
                    .payloadJson("{\"n\":1600}")
                    .runAt(at)
                    .build());
            requests.add(JobRequest.of("plain")
                    .queue(name)
                    .payloadJson("{\"n\":1601}")
                    .build());
            List<Long> ids = queue.enqueueAll(requests);
            // 2 statements of 1,000 and 500 rows, 3 keyed rows, the big ones apart, then the last 100 (with the big
            // one before them): about 8 statements on the wire, where a batch of single-row inserts sends 1,605
            assertThat(globalStatus("Com_insert") - insertsBefore)
                    .as("INSERT statements")
                    .isLessThan(20);

            assertThat(ids).hasSize(requests.size());
            assertThat(ids.get(1_500)).as("the live job's id for its key").isEqualTo(live);
            assertThat(ids.get(1_502))
                    .as("the second request with a new key matched the first")
                    .isEqualTo(ids.get(1_501));
            List<Long> fresh = new ArrayList<>(ids);
            fresh.remove(1_502);
            fresh.remove(1_500);
            assertThat(fresh)
                    .as("new ids grow in the order of the requests")
                    .isSorted()
                    .doesNotHaveDuplicates();
            assertThat(fresh.get(0)).isGreaterThan(live);

            Map<Long, String[]> rows = rows(name);
            assertThat(rows).hasSize(1 + requests.size() - 2);
            for (int i = 0; i < requests.size(); i++) {
                JobRequest request = requests.get(i);
                String[] row = rows.get(ids.get(i));
                assertThat(row).as("row of request %d", i).isNotNull();
                assertThat(row[0]).isEqualTo(request.type());
                assertThat(Integer.parseInt(row[2])).isEqualTo(request.priority());
                if (request.type().equals("plain")) {
                    assertThat(row[1]).isEqualTo(request.payloadJson());
                }
            }
            assertThat(Long.parseLong(rows.get(ids.get(1_503))[1]))
                    .as("big payload stored whole")
                    .isEqualTo(big.length());
            assertThat(SERVER.queryLong("SELECT enqueue_matches FROM sf_job WHERE id = " + live))
                    .isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name
                            + "' AND run_at > NOW(3) + INTERVAL 50 MINUTE"))
                    .as("delays kept")
                    .isEqualTo(100 + 1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + ids.get(requests.size() - 2)
                            + " AND run_at = '2031-01-02 03:04:05.678'"))
                    .as("a time kept")
                    .isEqualTo(1);
            assertThat(SERVER.queryLong("SELECT COUNT(*) FROM sf_job WHERE id = " + ids.get(requests.size() - 1)
                            + " AND run_at <= NOW(3)"))
                    .as("due now")
                    .isEqualTo(1);
            assertThat(queue.stats().queues().get(name).pending()).isEqualTo(1 + 1_500 + 1 + 2 + 1);
        }
    }

    private static long globalStatus(String name) throws SQLException {
        try (Connection c = SERVER.admin();
                PreparedStatement s = c.prepareStatement("SHOW GLOBAL STATUS LIKE ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(2);
            }
        }
    }

    private static Map<Long, String[]> rows(String queue) throws SQLException {
        Map<Long, String[]> rows = new HashMap<>();
        try (Connection c = SERVER.admin();
                PreparedStatement s =
                        c.prepareStatement("SELECT id, type, CASE WHEN type = 'big' THEN CAST(LENGTH(payload) AS CHAR)"
                                + " ELSE payload END, priority FROM sf_job WHERE queue = ?")) {
            s.setString(1, queue);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return rows;
    }
}
