package dev.steadfast.examples;

import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.TransactionalJobHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Counts page views: job type {@code page-view}, payload {@code {"page": "/pricing"}}. The count is
 * raised in the same transaction that records the job's success, so a view is counted exactly once even
 * when the worker crashes or its connection dies halfway: the work either committed with the success,
 * or it never happened and the job runs again.
 *
 * <p>Load it into a worker with {@code steadfast work --plugins DIR}, DIR holding this module's jar.
 */
public final class RecordPageView implements TransactionalJobHandler<RecordPageView.View> {

    /** The payload. */
    public record View(String page) {}

    @Override
    public String type() {
        return "page-view";
    }

    @Override
    public Class<View> payloadType() {
        return View.class;
    }

    @Override
    public void handle(JobContext context, View view, Connection tx) throws SQLException {
        if (view.page() == null || view.page().isBlank()) {
            throw new IllegalArgumentException("a page-view job needs {\"page\": \"/path\"}");
        }
        try (Statement ddl = tx.createStatement()) {
            // implicit commit: harmless here, before any of this job's writes
            ddl.execute("CREATE TABLE IF NOT EXISTS example_page_views ("
                    + " page VARCHAR(512) NOT NULL PRIMARY KEY, views BIGINT NOT NULL)");
        }
        try (PreparedStatement count = tx.prepareStatement(
                "INSERT INTO example_page_views (page, views) VALUES (?, 1) ON DUPLICATE KEY UPDATE views = views + 1")) {
            count.setString(1, view.page());
            count.executeUpdate();
        }
    }
}
