package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.MissingPrivilegeException;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check a worker makes before it says it started: an account that cannot write the queue's tables would claim
 * nothing and fail every poll, so it is refused at once, in one line.
 */
public final class WritePrivileges {
    private static final Logger LOG = LoggerFactory.getLogger(WritePrivileges.class);

    private WritePrivileges() {}

    /**
     * @throws MissingPrivilegeException when the account may not write; any other failure (the database away for
     *                                   now) is logged and the worker starts, waiting for the database as usual
     */
    public static void require(JobQueue queue, String workerId) {
        Optional<MissingPrivilegeException> missing;
        try {
            missing = queue.missingWritePrivilege();
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "worker {} could not check that its database user may write the queue's tables ({}); starting anyway",
                    workerId,
                    e.toString());
            return;
        }
        if (missing.isPresent()) {
            throw missing.get();
        }
    }
}
