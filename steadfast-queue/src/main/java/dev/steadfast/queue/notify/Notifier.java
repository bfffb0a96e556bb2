package dev.steadfast.queue.notify;

import java.io.IOException;

/** Delivers notifications somewhere. Called from one background thread, never from a job's thread. */
public interface Notifier {
    void send(Notification notification) throws IOException, InterruptedException;

    /** A name fit for logs (no secrets). */
    String describe();
}
