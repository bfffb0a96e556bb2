package dev.steadfast.queue.internal.coverage;

import dev.steadfast.queue.internal.store.Workers.LiveWorker;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** What the live workers serve, as their heartbeats say: which queues they claim from and which types they handle. */
public final class WorkerCoverage {
    private final List<LiveWorker> workers;

    public WorkerCoverage(List<LiveWorker> workers) {
        this.workers = List.copyOf(workers);
    }

    public int liveWorkers() {
        return workers.size();
    }

    /** Whether some live worker claims from this queue. */
    public boolean serves(String queue) {
        return workers.stream().anyMatch(w -> w.queues().contains(queue));
    }

    /** Whether some live worker claims from this queue and handles this type (a worker that did not say: any type). */
    public boolean handles(String queue, String type) {
        return workers.stream()
                .anyMatch(w -> w.queues().contains(queue)
                        && (w.types() == null || w.types().contains(type)));
    }

    /**
     * What to tell whoever enqueues a job of this queue and type that no live worker will start; empty when one will, or
     * when no worker is alive (nothing to compare with: workers may be started on demand, or be restarting).
     */
    public Optional<String> hint(String queue, String type) {
        if (workers.isEmpty() || handles(queue, type)) {
            return Optional.empty();
        }
        if (!serves(queue)) {
            return Optional.of("no live worker serves queue " + queue + " (live workers serve " + list(true, null)
                    + "); the job waits until one does: check the queue's name, or start a worker for it");
        }
        return Optional.of(
                "no live worker handles type " + type + " in queue " + queue + " (they handle " + list(false, queue)
                        + "); the job waits until one does: check the type's spelling, or start a worker with a handler for "
                        + type);
    }

    private String list(boolean queues, String queue) {
        TreeSet<String> names = new TreeSet<>();
        for (LiveWorker w : workers) {
            if (queues) {
                names.addAll(w.queues());
            } else if (w.queues().contains(queue) && w.types() != null) {
                names.addAll(w.types());
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
