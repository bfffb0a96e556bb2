package dev.steadfast.web.internal;

import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobPage;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.NameRule;
import dev.steadfast.queue.text.ControlCharacters;
import dev.steadfast.web.JobJson;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/jobs?state=&queue=&type=&search=&limit=&cursor=}: a page of jobs as JSON, each in the shape of
 * {@code jobs list --json} ({@link JobJson#summary}), and the cursor of the next page. Pages are keyset pages (after the
 * last row's id, or its run time and id for pending and scheduled jobs): jobs enqueued meanwhile neither shift nor
 * repeat what the next page holds.
 */
final class JobListing {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    /** The query parameters the listing takes, as the OpenAPI document lists them. */
    static final List<String> PARAMETERS = List.of("state", "queue", "type", "search", "limit", "cursor");

    private JobListing() {}

    static Reply answer(JobQueue queue, Request request) throws SQLException {
        for (String name : request.queryParamNames()) {
            if (!PARAMETERS.contains(
                    name)) { // as POST refuses unknown fields: a misspelt filter must not list every job
                return JobsApi.error(
                        400,
                        "unknown query parameter '" + ControlCharacters.oneLine(name) + "': GET /api/jobs takes "
                                + String.join(", ", PARAMETERS));
            }
        }
        for (String name : List.of("queue", "type")) {
            String value = request.param(name);
            try {
                if (value != null) {
                    if (name.equals("queue")) {
                        NameRule.queue(value);
                    } else {
                        NameRule.type(value);
                    }
                }
            } catch (IllegalArgumentException e) { // no job can have it: an empty list would hide the mistake
                return JobsApi.error(400, name + ": " + e.getMessage());
            }
        }
        JobFilter filter;
        try {
            filter = JobFilter.all()
                    .status(JobStatus.parseOrNull(request.param("state")))
                    .queue(request.param("queue"))
                    .type(request.param("type"))
                    .search(request.param("search"));
        } catch (IllegalArgumentException e) {
            return JobsApi.error(400, "state: " + e.getMessage());
        }
        String limitText = request.param("limit");
        int limit;
        try {
            limit = limitText == null ? DEFAULT_LIMIT : Integer.parseInt(limitText.trim());
        } catch (NumberFormatException e) {
            return JobsApi.error(400, "limit: a whole number from 1 to " + MAX_LIMIT + ", got '" + limitText + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            return JobsApi.error(400, "limit: a whole number from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        String cursor = request.param("cursor");
        if (cursor != null && !cursor.isBlank() && cursor.contains("-") != filter.byRunTime()) {
            return JobsApi.error(
                    400, "cursor: it belongs to a list of other states; pass the 'next' of a page of this list");
        }
        JobPage page;
        try {
            page = queue.browser().page(filter, cursor, limit);
        } catch (IllegalArgumentException e) { // a cursor that is none of ours
            return JobsApi.error(400, "cursor: " + e.getMessage() + "; pass the 'next' of the previous page");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobs", page.jobs().stream().map(JobJson::summary).toList());
        answer.put("next", page.next());
        answer.put("total", page.total());
        answer.put("total_capped", page.totalCapped());
        return Reply.json(200, answer);
    }
}
