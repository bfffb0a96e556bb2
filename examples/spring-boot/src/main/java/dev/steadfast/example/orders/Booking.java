package dev.steadfast.example.orders;

/** The payload of a booking job. */
public record Booking(long orderId, long amount) {
}
