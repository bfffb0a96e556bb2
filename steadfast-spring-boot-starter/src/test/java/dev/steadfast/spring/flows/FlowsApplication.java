package dev.steadfast.spring.flows;

import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.JobHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An application whose handler beans take part in flows: a charge returns its charge id, the invoice step after it
 * reads it, an import's rows run as a batch whose callback reads the batch's summary.
 */
@SpringBootApplication
public class FlowsApplication {
    /** What each invoice read from its charge, by the invoice's job id. */
    public static final Map<Long, String> INVOICED = new ConcurrentHashMap<>();

    /** What each import's callback read of its batch, by the batch's id. */
    public static final Map<Long, BatchView> IMPORTED = new ConcurrentHashMap<>();

    /** An order to charge. */
    public record Order(long id, long cents) {}

    /** A payload that carries nothing. */
    public record Nothing() {}

    /** An import's row. */
    public record Row(int row) {}

    /** What a charge returns. */
    public record Charge(String chargeId, long cents) {}

    @Bean
    JobHandler<Order> charge() {
        return JobHandler.returning(
                "charge", Order.class, (context, order) -> new Charge("ch_" + order.id(), order.cents()));
    }

    @Bean
    JobHandler<Nothing> invoice() {
        return JobHandler.of("invoice", Nothing.class, (context, payload) -> {
            Charge charge = context.parentResults().step("charge", Charge.class);
            INVOICED.put(context.jobId(), charge.chargeId() + " " + charge.cents());
        });
    }

    @Bean
    JobHandler<Row> importRow() {
        return JobHandler.of("import-row", Row.class, (context, payload) -> {});
    }

    @Bean
    JobHandler<Nothing> importDone() {
        return JobHandler.of(
                "import-done",
                Nothing.class,
                (context, payload) ->
                        context.callbackBatch().ifPresent(batch -> IMPORTED.put(context.callbackOf(), batch)));
    }

    /** Returns more than the worker's {@code steadfast.worker.max-result-size} allows. */
    @Bean
    JobHandler<Nothing> tooMuch() {
        return JobHandler.returning("too-much", Nothing.class, (context, payload) -> "x".repeat(2048));
    }
}
