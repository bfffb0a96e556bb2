package dev.steadfast.example.orders;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Orders and their booking jobs, written in one Spring transaction: both or neither. The order goes through JPA, the
 * job through Steadfast; the JPA transaction manager shares its JDBC connection, and the queue writes on it.
 */
@Service
public class OrderService {
    private final OrderRepository repository;
    private final JdbcTemplate jdbc;
    private final JobQueue queue;

    public OrderService(OrderRepository repository, JdbcTemplate jdbc, JobQueue queue) {
        this.repository = repository;
        this.jdbc = jdbc;
        this.queue = queue;
    }

    /** Stores the order and enqueues its booking; a refusal after the enqueue rolls both back. */
    @Transactional
    public Order place(String customer, long amount) throws SQLException {
        OrderEntity order = repository.save(new OrderEntity(customer, amount));
        long job = queue.enqueue(JobRequest.of(BookOrder.TYPE).queue("bookings").payload(new Booking(order.getId(), amount)).build());
        if (amount > 1_000_000) {
            // checked after the writes on purpose: the rollback takes the order and its job away together
            throw new OrderRefusedException("an order above 1,000,000 needs approval: nothing was stored");
        }
        return new Order(order.getId(), customer, amount, job, false);
    }

    @Transactional(readOnly = true)
    public Optional<Order> find(long id) {
        return repository.findById(id).map(order -> {
            List<Long> booking = jdbc.queryForList("SELECT job_id FROM ledger WHERE order_id = ?", Long.class, id);
            return new Order(order.getId(), order.getCustomer(), order.getAmount(), booking.isEmpty() ? null : booking.get(0),
                    !booking.isEmpty());
        });
    }
}
