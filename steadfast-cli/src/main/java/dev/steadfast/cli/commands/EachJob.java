package dev.steadfast.cli.commands;

import dev.steadfast.cli.ExitCode;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;

/**
 * An action on jobs named by id, one at a time: a line on stdout for each one done, a line on stderr saying why for
 * each one refused, and exit code 1 when any was refused, so that a script sees a partial failure.
 */
final class EachJob {
    /** Does the action; false when the job was not in a state to take it. */
    @FunctionalInterface
    interface Action {
        boolean apply(long id) throws SQLException;
    }

    /** A line about a job, which may need the database to tell why. */
    @FunctionalInterface
    interface Line {
        String about(long id) throws SQLException;
    }

    private EachJob() {}

    static int run(List<Long> ids, Action action, Line done, Line refused, PrintWriter out, PrintWriter err)
            throws SQLException {
        int refusals = 0;
        for (long id : ids) {
            if (action.apply(id)) {
                out.println(done.about(id));
            } else {
                err.println("steadfast: " + refused.about(id));
                refusals++;
            }
        }
        return refusals == 0 ? ExitCode.OK : ExitCode.FAILURE;
    }
}
