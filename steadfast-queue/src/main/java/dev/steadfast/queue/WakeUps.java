package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.internal.store.Store;
import dev.steadfast.queue.internal.wakeup.DoorbellRinger;
import dev.steadfast.queue.internal.worker.LeaseKeeper;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Lets idle workers start a job as soon as it is committed instead of at their next poll: workers of this queue
 * object in this JVM are called directly; workers in other processes on this host get a datagram at their
 * doorbell. Shared by the queue objects derived from one {@link JobQueue#create}.
 */
final class WakeUps {
    private final Set<Runnable> listeners = new CopyOnWriteArraySet<>();
    private final Set<Integer> ownDoorbells = ConcurrentHashMap.newKeySet();
    private final DoorbellRinger ringer;

    WakeUps(ResilientDatabase db, Store store) {
        this.ringer = new DoorbellRinger(db, store, LeaseKeeper.localHostName(), ownDoorbells);
    }

    /** A worker of this queue object: woken in-process, so its doorbell (if it has one) is never rung from here. */
    void register(Runnable listener, Integer doorbellPort) {
        listeners.add(listener);
        if (doorbellPort != null) {
            ownDoorbells.add(doorbellPort);
        }
    }

    void unregister(Runnable listener, Integer doorbellPort) {
        listeners.remove(listener);
        if (doorbellPort != null) {
            ownDoorbells.remove(doorbellPort);
        }
    }

    /** Jobs were committed to these queues ({@code null}: to queues not known here). */
    void fire(Collection<String> queues) {
        listeners.forEach(Runnable::run);
        ringer.ring(queues);
    }

    void awaitSent(Duration timeout) {
        ringer.awaitSent(timeout);
    }
}
