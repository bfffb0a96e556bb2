package dev.steadfast.queue.doctor;

/** How bad a finding is. ERROR means something will fail; {@code doctor} then exits 1. */
public enum Severity {
    OK,
    INFO,
    WARN,
    ERROR
}
