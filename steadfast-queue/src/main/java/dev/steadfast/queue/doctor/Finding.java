package dev.steadfast.queue.doctor;

/**
 * One result of {@code doctor}.
 *
 * @param severity how bad
 * @param check    what was looked at (e.g. {@code wait_timeout})
 * @param observed what was found, with numbers
 * @param fix      what to do about it; empty when nothing needs doing
 */
public record Finding(Severity severity, String check, String observed, String fix) {}
