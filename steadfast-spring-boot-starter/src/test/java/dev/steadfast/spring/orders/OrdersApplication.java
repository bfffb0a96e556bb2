package dev.steadfast.spring.orders;

import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.Schedule;
import dev.steadfast.queue.TransactionalJobHandler;
import dev.steadfast.queue.events.WorkerEvent;
import dev.steadfast.spring.Recurring;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A small application as a Spring team would write it: orders taken in @Transactional methods, booked by a job. */
@SpringBootApplication
public class OrdersApplication {

    public static final String SCHEMA = "CREATE TABLE IF NOT EXISTS test_orders (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " customer VARCHAR(64) NOT NULL, amount BIGINT NOT NULL) ENGINE=InnoDB";
    public static final String LEDGER =
            "CREATE TABLE IF NOT EXISTS test_ledger (job_id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL,"
                    + " amount BIGINT NOT NULL) ENGINE=InnoDB";

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }

    /** What a booking job carries. */
    public record Booking(long orderId, long amount, long sleepMs) {}

    /** Books an order into the ledger in the job's own transaction: exactly once, whatever the connections do. */
    @Bean
    TransactionalJobHandler<Booking> bookOrder() {
        return new TransactionalJobHandler<>() {
            @Override
            public String type() {
                return "book-order";
            }

            @Override
            public Class<Booking> payloadType() {
                return Booking.class;
            }

            @Override
            public void handle(JobContext context, Booking booking, Connection transaction) throws Exception {
                if (booking.sleepMs() > 0) {
                    Thread.sleep(booking.sleepMs());
                }
                try (PreparedStatement s = transaction.prepareStatement(
                        "INSERT INTO test_ledger (job_id, order_id, amount) VALUES (?, ?, ?)")) {
                    s.setLong(1, context.jobId());
                    s.setLong(2, booking.orderId());
                    s.setLong(3, booking.amount());
                    s.executeUpdate();
                }
            }
        };
    }

    /** Ticks every second, declared on the handler itself. */
    @Component
    @Recurring(name = "orders-tick", every = "1s", queue = "ticks")
    public static class Tick implements JobHandler<Map<String, Object>> {
        public static final AtomicInteger TICKS = new AtomicInteger();

        @Override
        public String type() {
            return "orders-tick";
        }

        @Override
        @SuppressWarnings("unchecked")
        public Class<Map<String, Object>> payloadType() {
            return (Class<Map<String, Object>>) (Class<?>) Map.class;
        }

        @Override
        public void handle(JobContext context, Map<String, Object> payload) {
            TICKS.incrementAndGet();
        }
    }

    /** The worker's events arrive as Spring application events. */
    @Component
    public static class FinishedJobs {
        public static final List<Long> IDS = new CopyOnWriteArrayList<>();

        @EventListener
        void on(WorkerEvent.JobFinished finished) {
            IDS.add(finished.jobId());
        }
    }

    /** A nightly schedule declared as a bean. */
    @Bean
    Schedule nightlyBooking() {
        return Schedule.cron(
                "orders-nightly",
                "0 3 * * *",
                ZoneId.of("Europe/Berlin"),
                JobRequest.of("book-order").payload(new Booking(0, 0, 0)).build());
    }

    /** Takes orders: the order row and its booking job commit or roll back together. */
    @Service
    public static class Orders {
        private final JdbcTemplate jdbc;
        private final JobQueue queue;

        public Orders(JdbcTemplate jdbc, JobQueue queue) {
            this.jdbc = jdbc;
            this.queue = queue;
        }

        @Transactional
        public long place(String customer, long amount, long bookingSleepMs) throws SQLException {
            jdbc.update("INSERT INTO test_orders (customer, amount) VALUES (?, ?)", customer, amount);
            long orderId = jdbc.queryForObject("SELECT LAST_INSERT_ID()", Long.class);
            queue.enqueue(JobRequest.of("book-order")
                    .payload(new Booking(orderId, amount, bookingSleepMs))
                    .build());
            if (customer.startsWith("reject")) {
                throw new IllegalArgumentException("rejected after the enqueue: " + customer);
            }
            return orderId;
        }

        @Transactional(readOnly = true)
        public long placeInReadOnly(String customer) throws SQLException {
            return queue.enqueue(
                    JobRequest.of("book-order").payload(new Booking(0, 1, 0)).build());
        }

        public Map<String, Object> totals() {
            return jdbc.queryForMap("SELECT COUNT(*) AS orders, COALESCE(SUM(amount), 0) AS amount FROM test_orders");
        }
    }
}
