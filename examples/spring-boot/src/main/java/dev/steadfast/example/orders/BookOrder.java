package dev.steadfast.example.orders;

import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.TransactionalJobHandler;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * Books an order into the ledger. A transactional handler: its write and the job's success commit together, on a
 * connection Steadfast replays when it is lost, so the ledger gets each booking exactly once.
 */
@Component
public class BookOrder implements TransactionalJobHandler<Booking> {
    public static final String TYPE = "book-order";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<Booking> payloadType() {
        return Booking.class;
    }

    @Override
    public void handle(JobContext context, Booking booking, Connection transaction) throws Exception {
        try (PreparedStatement s = transaction.prepareStatement("INSERT INTO ledger (job_id, order_id, amount) VALUES (?, ?, ?)")) {
            s.setLong(1, context.jobId());
            s.setLong(2, booking.orderId());
            s.setLong(3, booking.amount());
            s.executeUpdate();
        }
    }
}
