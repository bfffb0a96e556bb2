package dev.steadfast.cli.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reads a child's stdout or stderr to its end on a thread of its own (a full pipe would stall the child), keeping only
 * its last {@code limit} bytes: a command that prints gigabytes costs the worker no more memory than one that prints a
 * line.
 */
final class OutputTail {
    private final byte[] ring;
    private long total;
    private final Thread reader;
    private IOException failure;
    /** Whether the reading was given up while a process still held the stream open. */
    private boolean cut;

    private OutputTail(InputStream in, int limit, String name) {
        this.ring = new byte[limit];
        this.reader = new Thread(() -> drain(in), name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static OutputTail reading(InputStream in, int limit, String name) {
        return new OutputTail(in, limit, name);
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                append(buffer, n);
            }
        } catch (IOException e) {
            synchronized (this) {
                failure = e;
            }
        }
    }

    private synchronized void append(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (total++ % ring.length)] = buffer[i];
        }
    }

    /** Waits until the stream ended (the child and every process holding its pipe are gone), at most {@code millis}. */
    void await(long millis) throws InterruptedException {
        reader.join(millis);
    }

    /**
     * Waits until the stream ended, at most until {@code deadlineNanos} ({@link System#nanoTime()}); past it the rest of
     * the stream is no longer kept, and the text says so.
     */
    void awaitUntil(long deadlineNanos) throws InterruptedException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left > 0) {
            reader.join(left);
        }
        if (reader.isAlive()) {
            synchronized (this) {
                cut = true;
            }
        }
    }

    /** Every byte seen. */
    synchronized long total() {
        return total;
    }

    /** The kept end as text (a character cut at the start is replaced), with a note of what was left out. */
    synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        byte[] tail = new byte[kept];
        int start = (int) ((total - kept) % ring.length);
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(start + i) % ring.length];
        }
        String text = new String(tail, StandardCharsets.UTF_8);
        String note = failure == null ? "" : " (reading it failed: " + failure.getMessage() + ")";
        if (cut) {
            note += "\n[not read further: a process the command left behind holds it open]";
        }
        return total > kept ? "[first " + (total - kept) + " bytes left out]" + note + "\n" + text : text + note;
    }
}
