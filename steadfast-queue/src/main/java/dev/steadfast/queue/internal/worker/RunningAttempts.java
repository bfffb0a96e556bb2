package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.internal.store.ClaimedJob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts of Java handlers this worker holds, from their start until their outcome is written (or they are let
 * go): what the heartbeat writes the notes of, and what the outcome writer finds a job's result and notes in.
 */
public final class RunningAttempts {
    private final Map<ClaimedJob, RunningAttempt> attempts = new ConcurrentHashMap<>();

    void started(RunningAttempt attempt) {
        attempts.put(attempt.job(), attempt);
    }

    /** The attempt of this job (under this lease), or null when its handler never started. */
    RunningAttempt of(ClaimedJob job) {
        return attempts.get(job);
    }

    /** The job's outcome is written, or will never be: its attempt is forgotten. */
    void forget(ClaimedJob job) {
        attempts.remove(job);
    }

    List<RunningAttempt> all() {
        return List.copyOf(attempts.values());
    }
}
