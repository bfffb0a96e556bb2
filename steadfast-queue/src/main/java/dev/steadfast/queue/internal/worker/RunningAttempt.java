package dev.steadfast.queue.internal.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.NonRetryableException;
import dev.steadfast.queue.ParentResults;
import dev.steadfast.queue.internal.store.ClaimedJob;
import dev.steadfast.queue.internal.store.Dependencies;
import dev.steadfast.queue.internal.store.JobNotes;
import dev.steadfast.queue.internal.store.JobResults;
import dev.steadfast.queue.internal.store.Store;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One attempt of a Java handler as the worker sees it through its {@link JobContext}: its latest progress and the log
 * lines not yet written (kept in memory, written by {@link NoteFlush} with the heartbeat and the outcome), its result
 * (stored with its success) and its durable steps (read once, recorded each under the lease).
 */
final class RunningAttempt implements JobContext.Attempt {
    private final ClaimedJob job;
    private final ResilientDatabase db;
    private final Store store;
    private final ObjectMapper mapper;
    /** Held by whoever writes this attempt's notes, from taking them to their commit (or their return). */
    final ReentrantLock flushing = new ReentrantLock();

    // what was said and not yet written: guarded by this
    private double fraction;
    private String message;
    private boolean progressChanged;
    private final StringBuilder log = new StringBuilder();
    private long logBytes;

    private volatile String result;
    private Map<String, String> steps; // read at the first step: guarded by this

    RunningAttempt(ClaimedJob job, ResilientDatabase db, Store store, ObjectMapper mapper) {
        this.job = job;
        this.db = db;
        this.store = store;
        this.mapper = mapper;
    }

    ClaimedJob job() {
        return job;
    }

    @Override
    public synchronized void progress(double fraction, String message) {
        this.fraction = fraction;
        this.message = message;
        this.progressChanged = true;
    }

    @Override
    public synchronized void log(String line) {
        log.append(line).append('\n');
        logBytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
        keepTail();
    }

    private void keepTail() {
        if (log.length() > JobContext.LOG_KEPT_CHARS) {
            log.delete(0, log.length() - JobContext.LOG_KEPT_CHARS);
        }
    }

    @Override
    public void result(Object value) {
        try {
            result = value == null ? null : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the result of job " + job.id() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Sets the result from JSON already checked (a command's result file). */
    void resultJson(String json) {
        result = json;
    }

    /** The result to store with the success, or null; refused when it is larger than {@code maxBytes}. */
    JobResults.Result resultWithin(int maxBytes) {
        String json = result;
        if (json == null) {
            return null;
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new ResultTooLargeException("the result of job " + job.id() + " is " + bytes
                    + " bytes, over the worker's limit of " + maxBytes
                    + " bytes (work --max-result-size, Worker.Builder.maxResultBytes); not retried");
        }
        return new JobResults.Result(job.id(), job.leaseToken(), json);
    }

    @Override
    public <T> T step(String name, Class<T> resultType, Callable<T> work) throws Exception {
        String recorded = recorded(name);
        if (recorded != null) {
            return mapper.readValue(recorded, resultType);
        }
        T value = work.call();
        String json = mapper.writeValueAsString(value);
        boolean ours = db.transaction(
                c -> store.steps().isRecorded(c, job.id(), name),
                tx -> store.steps().record(tx, job, name, json));
        if (!ours) {
            throw new LeaseLostException(job.id());
        }
        remember(name, json);
        return value;
    }

    @Override
    public <T> T transactionalStep(String name, Class<T> resultType, JobContext.TransactionalStep<T> work)
            throws Exception {
        String recorded = recorded(name);
        if (recorded != null) {
            return mapper.readValue(recorded, resultType);
        }
        record Done<T>(T value, String json) {}
        Done<T> done;
        try {
            done = db.transaction(c -> store.steps().isRecorded(c, job.id(), name), tx -> {
                T value;
                String json;
                try {
                    value = work.run(tx);
                    json = mapper.writeValueAsString(value);
                } catch (SQLException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new StepFailed(e);
                }
                if (!store.steps().record(tx, job, name, json)) {
                    throw new LeaseLostException(job.id()); // rolls the step's writes back
                }
                return new Done<>(value, json);
            });
        } catch (StepFailed e) {
            throw (Exception) e.getCause();
        }
        remember(name, done.json());
        return done.value();
    }

    /** The parents and their results, in one read. */
    @Override
    public ParentResults parentResults() throws SQLException {
        record Read(List<Dependencies.ParentStep> parents, Map<Long, String> results) {}
        Read read = db.read(c -> {
            List<Dependencies.ParentStep> parents = store.dependencies().parents(c, job.id());
            return new Read(
                    parents,
                    parents.isEmpty()
                            ? Map.of()
                            : store.results()
                                    .read(
                                            c,
                                            parents.stream()
                                                    .map(Dependencies.ParentStep::id)
                                                    .toList()));
        });
        if (read.parents().isEmpty()) {
            return ParentResults.NONE;
        }
        Map<Long, String> names = new LinkedHashMap<>();
        read.parents().forEach(p -> names.put(p.id(), p.stepName()));
        Map<Long, JsonNode> results = new LinkedHashMap<>();
        for (Map.Entry<Long, String> r : read.results().entrySet()) {
            try {
                results.put(r.getKey(), mapper.readTree(r.getValue()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the stored result of job " + r.getKey() + " is not JSON", e);
            }
        }
        return new ParentResults(names, results, mapper);
    }

    @Override
    public Optional<BatchView> batch(long batchId) throws SQLException {
        return db.read(c -> store.batches().view(c, batchId));
    }

    private synchronized String recorded(String name) throws SQLException {
        if (steps == null) {
            steps = db.read(c -> store.steps().recorded(c, job.id()));
        }
        return steps.get(name);
    }

    private synchronized void remember(String name, String json) {
        steps.put(name, json);
    }

    /** What was said since the last write (the caller holds {@link #flushing}); null when nothing was. */
    synchronized Said take() {
        JobNotes.Progress progress =
                progressChanged ? new JobNotes.Progress(job.id(), job.leaseToken(), fraction, message) : null;
        JobNotes.LogLines lines = log.length() == 0
                ? null
                : new JobNotes.LogLines(job.id(), job.leaseToken(), job.attempt(), log.toString(), logBytes);
        if (progress == null && lines == null) {
            return null;
        }
        progressChanged = false;
        log.setLength(0);
        logBytes = 0;
        return new Said(progress, lines);
    }

    /** Takes back what could not be written: before anything said since (newer progress wins). */
    synchronized void putBack(Said said) {
        if (said.progress() != null && !progressChanged) {
            fraction = said.progress().fraction();
            message = said.progress().message();
            progressChanged = true;
        }
        if (said.log() != null) {
            log.insert(0, said.log().text());
            logBytes += said.log().bytes();
            keepTail();
        }
    }

    /** Progress and log lines taken to be written; either may be null. */
    record Said(JobNotes.Progress progress, JobNotes.LogLines log) {}

    /** A result larger than the worker allows: retrying would make it as large again. */
    static final class ResultTooLargeException extends NonRetryableException {
        private static final long serialVersionUID = 1L;

        ResultTooLargeException(String message) {
            super(message);
        }
    }

    /** Carries a transactional step's checked exception out of its unit of work. */
    private static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailed(Exception cause) {
            super(cause);
        }
    }
}
