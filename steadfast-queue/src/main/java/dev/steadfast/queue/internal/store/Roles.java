package dev.steadfast.queue.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** Roles one process at a time holds ({@code sf_role}), such as taking the census: held for a while, renewed, taken over once expired. */
public final class Roles {
    Roles() {}

    /** Takes or renews the role for {@code hold}; true when this holder has it. */
    public boolean holdRole(Connection c, String role, String holder, Duration hold) throws SQLException {
        // one conditional UPDATE: the holder renews, anyone takes over an expired role; 1 row changed means we hold it
        return Sql.update(
                        c,
                        "UPDATE sf_role SET holder = ?, expires_at = TIMESTAMPADD(MICROSECOND, ?, NOW(3))"
                                + " WHERE name = ? AND (holder = ? OR holder IS NULL OR expires_at < NOW(3))",
                        holder,
                        Sql.micros(hold),
                        role,
                        holder)
                == 1;
    }

    /** Gives the role up if this holder has it. */
    public void releaseRole(Connection c, String role, String holder) throws SQLException {
        Sql.update(c, "UPDATE sf_role SET holder = NULL WHERE name = ? AND holder = ?", role, holder);
    }
}
