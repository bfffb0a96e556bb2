package dev.steadfast.web.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of request bodies may be held in memory at once, across requests: each body takes its bytes as they
 * arrive and gives them back when its request is answered. A body that would go over is refused at once (503), so
 * memory for bodies is bounded by design whatever the clients send. Callers who have not shown the token draw on a
 * small budget of their own, so they can never starve signed-in work.
 */
public final class BodyBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code bytes} when they fit; false (and nothing taken) otherwise. */
    public boolean take(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void give(long bytes) {
        used.addAndGet(-bytes);
    }

    long inUse() {
        return used.get();
    }
}
