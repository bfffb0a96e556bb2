package dev.steadfast.example.orders;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** Orders and their booking jobs, written in one Spring transaction: both or neither. */
@Service
public class OrderService {
    private final JdbcTemplate jdbc;
    private final JobQueue queue;

    public OrderService(JdbcTemplate jdbc, JobQueue queue) {
        this.jdbc = jdbc;
        this.queue = queue;
    }

    /** Stores the order and enqueues its booking; a refusal after the enqueue rolls both back. */
    @Transactional
    public Order place(String customer, long amount) throws SQLException {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            PreparedStatement s = c.prepareStatement("INSERT INTO orders (customer, amount) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS);
            s.setString(1, customer);
            s.setLong(2, amount);
            return s;
        }, key);
        long id = key.getKey().longValue();
        long job = queue.enqueue(JobRequest.of(BookOrder.TYPE).queue("bookings").payload(new Booking(id, amount)).build());
        if (amount > 1_000_000) {
            // checked after the writes on purpose: the rollback takes the order and its job away together
            throw new OrderRefusedException("an order above 1,000,000 needs approval: nothing was stored");
        }
        return new Order(id, customer, amount, job, false);
    }

    public Optional<Order> find(long id) {
        List<Order> found = jdbc.query("SELECT o.id, o.customer, o.amount, l.job_id FROM orders o LEFT JOIN ledger l ON l.order_id = o.id"
                        + " WHERE o.id = ?", (rs, n) -> new Order(rs.getLong("id"), rs.getString("customer"), rs.getLong("amount"),
                        (Long) rs.getObject("job_id", Long.class), rs.getObject("job_id") != null), id);
        return found.stream().findFirst();
    }
}
