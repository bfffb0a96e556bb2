package dev.steadfast.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.ScheduleView;
import dev.steadfast.queue.Worker;
import dev.steadfast.spring.orders.OrdersApplication;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The starter in a real Spring Boot application on a real MariaDB server. */
@SpringBootTest(
        classes = OrdersApplication.class,
        properties = {
            "steadfast.worker.concurrency=4",
            "steadfast.worker.queues=default,ticks",
            "steadfast.worker.poll-max=100ms",
            "spring.datasource.hikari.maximum-pool-size=12"
        })
@DirtiesContext // closed while the test's database still runs
class SteadfastStarterTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SERVER.url(JdbcDriver.MARIADB));
        registry.add("spring.datasource.username", SERVER::user);
        registry.add("spring.datasource.password", SERVER::password);
    }

    @BeforeAll
    static void tables() throws SQLException {
        SERVER.execute(OrdersApplication.SCHEMA, OrdersApplication.LEDGER);
    }

    @Autowired
    OrdersApplication.Orders orders;

    @Autowired
    JobQueue queue;

    @Autowired
    Worker worker;

    @Autowired
    DataSource dataSource;

    @Autowired
    ResilientDatabase db;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ResilientTransactionTemplate template;

    @Autowired
    HealthIndicator steadfastHealthIndicator;

    @Autowired
    SteadfastEndpoint endpoint;

    @Test
    void theApplicationsDataSourceIsTheResilientPoolAndHandlerBeansRunJobs() throws Exception {
        assertThat(dataSource.getClass().getName()).isEqualTo("dev.steadfast.jdbc.CheckedDataSource");
        assertThat(worker.types()).containsExactlyInAnyOrder("book-order", "orders-tick");
        assertThat(dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize())
                .as("spring.datasource.hikari.* reached the pool")
                .isEqualTo(12);
        long order = orders.place("alice", 42, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledgerRowsFor(order) == 1);
        long job = jdbc.queryForObject("SELECT job_id FROM test_ledger WHERE order_id = ?", Long.class, order);
        await("its end published as an application event")
                .atMost(Duration.ofSeconds(10))
                .until(() -> OrdersApplication.FinishedJobs.IDS.contains(job));
    }

    @Test
    void anEnqueueInsideTransactionalCommitsAndRollsBackWithTheOrder() throws Exception {
        long before = queue.count(JobFilter.all().type("book-order"), 1_000_000);
        long ordersBefore = jdbc.queryForObject("SELECT COUNT(*) FROM test_orders", Long.class);
        assertThatThrownBy(() -> orders.place("reject-bob", 7, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM test_orders", Long.class))
                .as("no order")
                .isEqualTo(ordersBefore);
        assertThat(queue.count(JobFilter.all().type("book-order"), 1_000_000))
                .as("and no job for it")
                .isEqualTo(before);

        long order = orders.place("carol", 5, 0);
        // the job commits with the order (the same connection: it is visible to nobody before the commit)
        await().atMost(Duration.ofSeconds(20)).until(() -> ledgerRowsFor(order) == 1);

        assertThatThrownBy(() -> orders.placeInReadOnly("dave"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read-only transaction");
    }

    @Test
    void killedConnectionsSurfaceNoErrorAndDuplicateNothing() throws Exception {
        // requests (Spring @Transactional on JdbcTemplate) each borrow after every connection of the application was
        // KILLed (the server closed them while they sat in the pool): the liveness check hands them live ones. The
        // worker's jobs run meanwhile, and lose their connections mid-unit to the same KILLs: replayed, never doubled
        Map<Long, Long> placed = new ConcurrentHashMap<>();
        long evictedBefore = db.connectionHealth().evictions();
        for (int i = 0; i < 20; i++) {
            killAll();
            Thread.sleep(100); // the server has closed the sockets; HikariCP alone would hand them out for 500 ms
            long order = orders.place("kill-" + i, 100 + i, 30);
            placed.put(order, 100L + i);
        }
        assertThat(db.connectionHealth().evictions() - evictedBefore)
                .as("dead connections replaced before use")
                .isGreaterThanOrEqualTo(20);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> placed.keySet().stream().allMatch(o -> ledgerRowsFor(o) == 1));
        for (Map.Entry<Long, Long> order : placed.entrySet()) {
            assertThat(jdbc.queryForObject(
                            "SELECT amount FROM test_ledger WHERE order_id = ?", Long.class, order.getKey()))
                    .isEqualTo(order.getValue());
        }

        // units of the ResilientTransactionTemplate while connections are KILLed under them, mid-statement or
        // mid-commit: each row written once, no error reaches the caller
        SERVER.execute("CREATE TABLE IF NOT EXISTS test_units (id INT PRIMARY KEY) ENGINE=InnoDB");
        AtomicBoolean killing = new AtomicBoolean(true);
        Thread killer = new Thread(() -> {
            while (killing.get()) {
                try {
                    killAll();
                    Thread.sleep(25);
                } catch (Exception e) {
                    return;
                }
            }
        });
        killer.start();
        try {
            for (int i = 0; i < 60; i++) {
                int id = i;
                template.execute(jdbc -> jdbc.update("INSERT INTO test_units (id) VALUES (?)", id));
            }
        } finally {
            killing.set(false);
            killer.join();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM test_units", Long.class))
                .isEqualTo(60);
        assertThat(db.healingStats().transactionReplays())
                .as("connections were really lost under units, and healed")
                .isPositive();
    }

    @Test
    void schedulesDeclaredAsBeansAndAnnotationsTick() throws Exception {
        assertThat(queue.schedules()).extracting(ScheduleView::name).contains("orders-tick", "orders-nightly");
        int before = OrdersApplication.Tick.TICKS.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> OrdersApplication.Tick.TICKS.get() >= before + 2);
    }

    @Test
    void healthAndEndpointReportTheQueue() throws Exception {
        queue.pause("health-paused");
        try {
            Health health = steadfastHealthIndicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("schema", "worker", "workerState");
            assertThat(health.getDetails().get("pausedQueues")).asString().isEqualTo("[health-paused]");
            Map<String, Object> stats = endpoint.stats();
            assertThat(stats).containsKeys("pending", "succeeded", "queues", "worker");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> queues = (Map<String, Map<String, Object>>) stats.get("queues");
            assertThat(queues.get("health-paused")).containsEntry("paused", true);
        } finally {
            queue.resume("health-paused");
        }
    }

    private void killAll() throws SQLException {
        for (long id : SERVER.connectionIds()) {
            SERVER.killConnection(id);
        }
    }

    private long ledgerRowsFor(long orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM test_ledger WHERE order_id = ?", Long.class, orderId);
    }
}
