package dev.steadfast.example.orders;

/** An order as the endpoint takes it and shows it. */
public record Order(Long id, String customer, long amount, Long bookingJob, boolean booked) {
}
