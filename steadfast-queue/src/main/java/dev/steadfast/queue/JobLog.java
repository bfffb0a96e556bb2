package dev.steadfast.queue;

import java.time.Instant;

/**
 * What a Java handler logged in one attempt ({@link JobContext#log}): the kept tail, written with the worker's
 * heartbeat and at the attempt's end.
 *
 * @param attempt   the attempt's number
 * @param text      the last {@value JobContext#LOG_KEPT_CHARS} characters logged, one line per call
 * @param bytes     how many bytes (UTF-8) were logged in all, kept or not
 * @param updatedAt when it was last written
 */
public record JobLog(int attempt, String text, long bytes, Instant updatedAt) {}
