package dev.steadfast.web.internal;

import dev.steadfast.queue.CancelOutcome;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobView;
import dev.steadfast.web.JobJson;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cancel, retry and delete of one job over the API, as {@code cancel}, {@code failed retry} and {@code jobs delete} do
 * them: {@code 200} (or {@code 202} when a running job's worker is asked to stop) with the job as it is now, {@code 404}
 * for no such job, {@code 409} when the change does not apply to the job's state, each error with an {@code error}.
 */
final class JobActions {
    /** As much of the last error as lists show (and no payload): the answer is the job as a list item. */
    private static final int LIST_ERROR_CHARS = 500;

    private final JobQueue queue;

    JobActions(JobQueue queue) {
        this.queue = queue;
    }

    Reply cancel(long id) throws SQLException {
        CancelOutcome outcome = queue.cancel(id);
        return switch (outcome) {
            case CANCELLED -> done(200, id, "cancelled");
            case STOP_REQUESTED -> done(202, id, "stop_requested");
            case ALREADY_FINISHED -> conflict(id, "it has finished already: nothing to cancel");
            case NOT_FOUND -> JobsApi.notFound(id);
        };
    }

    Reply retry(long id) throws SQLException {
        return queue.retryFailed(id) ? done(200, id, "retried") : conflict(id, "only failed jobs can be retried");
    }

    Reply delete(long id) throws SQLException {
        if (queue.delete(id)) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", id);
            answer.put("outcome", "deleted");
            return Reply.json(200, answer);
        }
        return conflict(id, "a running job belongs to its worker until it finishes: cancel it first");
    }

    /** The outcome and the job as it is now (in the shape of a list item). */
    private Reply done(int status, long id, String outcome) throws SQLException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("outcome", outcome);
        answer.put(
                "job",
                queue.browser().job(id, LIST_ERROR_CHARS).map(JobJson::summary).orElse(null));
        return Reply.json(status, answer);
    }

    /** 409 naming the job's state, or 404 when the job is not there (any more). */
    private Reply conflict(long id, String why) throws SQLException {
        Optional<JobView> job = queue.browser().job(id, LIST_ERROR_CHARS);
        return job.isEmpty()
                ? JobsApi.notFound(id)
                : JobsApi.error(409, "job " + id + " is " + job.get().status().text() + ": " + why);
    }
}
