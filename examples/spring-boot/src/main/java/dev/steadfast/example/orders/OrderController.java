package dev.steadfast.example.orders;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.sql.SQLException;
import java.util.Map;

/** {@code POST /orders {"customer": "...", "amount": 42}} and {@code GET /orders/{id}}. */
@RestController
public class OrderController {
    private final OrderService orders;

    public OrderController(OrderService orders) {
        this.orders = orders;
    }

    /** What a client sends. */
    public record NewOrder(String customer, long amount) {
    }

    @PostMapping("/orders")
    public ResponseEntity<Order> place(@RequestBody NewOrder order) throws SQLException {
        if (order.customer() == null || order.customer().isBlank() || order.customer().length() > 64 || order.amount() <= 0) {
            throw new OrderRefusedException("an order needs a customer (1 to 64 characters) and a positive amount");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(orders.place(order.customer(), order.amount()));
    }

    @GetMapping("/orders/{id}")
    public ResponseEntity<Order> show(@PathVariable long id) {
        return ResponseEntity.of(orders.find(id));
    }

    @ExceptionHandler(OrderRefusedException.class)
    public ResponseEntity<Map<String, String>> refused(OrderRefusedException e) {
        return ResponseEntity.unprocessableEntity().body(Map.of("error", e.getMessage()));
    }
}
