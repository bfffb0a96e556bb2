package dev.steadfast.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.TransactionalJobHandler;
import dev.steadfast.queue.Worker;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.ReplicatedPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An application whose {@code spring.datasource.url} names a primary and its replica, with an application user that
 * read_only binds: through a switchover its worker goes on (each job once), and after two more switchovers with the
 * worker stopped (nothing else writes), its own {@code DataSource} writes to each new primary within seconds.
 */
class FailoverTest {
    private static final int JOBS = 3_000;

    @Configuration(proxyBeanMethods = false)
    static class Ledger {
        @Bean
        TransactionalJobHandler<String> ledger() {
            return new TransactionalJobHandler<>() {
                @Override
                public String type() {
                    return "ledger";
                }

                @Override
                public Class<String> payloadType() {
                    return String.class;
                }

                @Override
                public void handle(JobContext context, String payload, Connection tx) throws Exception {
                    try (PreparedStatement s = tx.prepareStatement("INSERT INTO ledger (job_id) VALUES (?)")) {
                        s.setLong(1, context.jobId());
                        s.executeUpdate();
                    }
                }
            };
        }
    }

    @Test
    void theWorkerAndTheApplicationsDataSourceFollowASwitchover() throws Exception {
        try (ReplicatedPair pair = ReplicatedPair.start()) {
            pair.primary()
                    .execute(
                            "CREATE USER app IDENTIFIED BY 'app'",
                            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON steadfast.* TO app",
                            "CREATE TABLE ledger (job_id BIGINT PRIMARY KEY)",
                            "CREATE TABLE orders (id INT PRIMARY KEY)");
            new ApplicationContextRunner()
                    .withConfiguration(
                            AutoConfigurations.of(SteadfastAutoConfiguration.class, DataSourceAutoConfiguration.class))
                    .withUserConfiguration(Ledger.class)
                    .withPropertyValues(
                            "spring.datasource.url=" + pair.url(JdbcDriver.MARIADB),
                            "spring.datasource.username=app",
                            "spring.datasource.password=app",
                            "steadfast.worker.lease=5s")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        JobQueue queue = context.getBean(JobQueue.class);
                        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                        List<JobRequest> jobs = new ArrayList<>();
                        for (int i = 0; i < JOBS; i++) {
                            jobs.add(JobRequest.of("ledger").payload("x").build());
                        }
                        queue.enqueueAll(jobs);
                        await().atMost(Duration.ofSeconds(60))
                                .pollInterval(Duration.ofMillis(10))
                                .until(() -> ledgerRows(pair) >= JOBS / 10);
                        pair.switchover();
                        await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRows(pair) >= JOBS);
                        assertThat(context.getBean(ResilientDatabase.class)
                                        .healingStats()
                                        .failuresByKind())
                                .as("the worker met the old primary's refusal and moved")
                                .containsKey("read_only_server")
                                .extractingByKey("read_only_server")
                                .isNotEqualTo(0L);

                        // then, with the worker stopped so that nothing else writes, two more switchovers: back to the
                        // first server (found by the failback check, as an earlier server of the list), and to the
                        // second again (found by the check that the writer still takes writes); each time the
                        // application's own writes reach the new primary within seconds
                        Worker worker = context.getBean(Worker.class);
                        worker.stop();
                        assertThat(worker.awaitTermination(Duration.ofSeconds(30)))
                                .isTrue();
                        for (int order = 1; order <= 2; order++) {
                            Thread.sleep(2000); // the pool has refilled: no new connection will notice the switch
                            pair.switchover();
                            int id = order;
                            await().atMost(Duration.ofSeconds(20))
                                    .pollInterval(Duration.ofMillis(200))
                                    .until(() -> {
                                        try {
                                            jdbc.update("INSERT INTO orders (id) VALUES (?)", id);
                                            return true;
                                        } catch (DataAccessException e) {
                                            return false; // the old primary's read-only refusal, until the pool moves
                                        }
                                    });
                        }
                        assertThat(pair.primary().queryLong("SELECT COUNT(*) FROM orders"))
                                .isEqualTo(2);
                    });
            assertThat(pair.primary().queryLong("SELECT COUNT(*) FROM ledger"))
                    .as("each job once")
                    .isEqualTo(JOBS);
            assertThat(pair.primary().queryLong("SELECT COUNT(*) FROM sf_job WHERE state = 'succeeded'"))
                    .isEqualTo(JOBS);
        }
    }

    private static long ledgerRows(ReplicatedPair pair) {
        try {
            return pair.primary().queryLong("SELECT COUNT(*) FROM ledger");
        } catch (SQLException e) {
            return 0;
        }
    }
}
