package dev.steadfast.example.orders;

/** An order the shop does not take; nothing of it is stored. */
public class OrderRefusedException extends RuntimeException {
    public OrderRefusedException(String message) {
        super(message);
    }
}
