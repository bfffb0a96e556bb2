package dev.steadfast.cli.doctor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the queue's tables hold that a doctor cares about.
 *
 * @param largestPendingPayload bytes of the largest payload still to run (0 when none)
 * @param duePending            pending jobs whose time has come
 * @param oldestDueSeconds      how long the oldest of them has waited
 * @param expiredLeases         running jobs whose lease has expired (their worker is gone)
 * @param failed                rows in the failed-job log
 */
record QueueFacts(long largestPendingPayload, long duePending, long oldestDueSeconds, long expiredLeases, long failed) {

    static QueueFacts read(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT"
                     + " (SELECT COALESCE(MAX(LENGTH(payload)), 0) FROM sf_job WHERE state = 'pending'),"
                     + " (SELECT COUNT(*) FROM sf_job WHERE state = 'pending' AND run_at <= NOW(3)),"
                     + " (SELECT COALESCE(TIMESTAMPDIFF(SECOND, MIN(run_at), NOW(3)), 0) FROM sf_job"
                     + "   WHERE state = 'pending' AND run_at <= NOW(3)),"
                     + " (SELECT COUNT(*) FROM sf_job WHERE state = 'running' AND lease_expires_at < NOW(3)),"
                     + " (SELECT COUNT(*) FROM sf_failed_job)")) {
            rs.next();
            return new QueueFacts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }
}
