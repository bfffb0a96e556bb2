package dev.steadfast.queue.internal.store;

import static dev.steadfast.queue.internal.store.States.PENDING;

import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobStatus;
import java.util.ArrayList;
import java.util.List;

/** A {@link JobFilter} as SQL over {@code sf_job j}, with its parameters in order. */
record JobWhere(String sql, List<Object> params) {
    static JobWhere of(JobFilter filter) {
        StringBuilder sql = new StringBuilder("1 = 1");
        List<Object> params = new ArrayList<>();
        JobStatus status = filter.status();
        if (status != null) {
            switch (status) {
                case PENDING -> sql.append(" AND j.state = " + PENDING + " AND j.run_at <= NOW(3)");
                case SCHEDULED -> sql.append(" AND j.state = " + PENDING + " AND j.run_at > NOW(3)");
                default -> {
                    sql.append(" AND j.state = ?");
                    params.add(status.stored().column());
                }
            }
        }
        if (filter.queue() != null) {
            sql.append(" AND j.queue = ?");
            params.add(filter.queue());
        }
        if (filter.type() != null) {
            sql.append(" AND j.type = ?");
            params.add(filter.type());
        }
        if (filter.search() != null) {
            String prefix = likeEscape(filter.search()) + "%";
            boolean id = filter.search().matches("\\d{1,18}");
            sql.append(" AND (j.type LIKE ? ESCAPE '!' OR j.unique_key LIKE ? ESCAPE '!'")
                    .append(id ? " OR j.id = ?)" : ")");
            params.add(prefix);
            params.add(prefix);
            if (id) {
                params.add(Long.parseLong(filter.search()));
            }
        }
        if (filter.errorContains() != null) {
            sql.append(" AND j.last_error LIKE ? ESCAPE '!'");
            params.add("%" + likeEscape(filter.errorContains()) + "%");
        }
        if (filter.olderThan() != null) {
            sql.append(" AND COALESCE(j.finished_at, j.created_at) < TIMESTAMPADD(MICROSECOND, ?, NOW(3))");
            params.add(-Sql.micros(filter.olderThan()));
        }
        return new JobWhere(sql.toString(), params);
    }

    private static String likeEscape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
