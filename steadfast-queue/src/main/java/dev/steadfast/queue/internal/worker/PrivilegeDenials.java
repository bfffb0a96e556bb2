package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.MissingPrivilegeException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A missing privilege met while running (a GRANT revoked under a running worker) fails every poll alike: it is
 * logged as one line, without a stack trace, at most once a minute, saying how many were left unsaid.
 */
final class PrivilegeDenials {
    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAt;
    private final AtomicLong unsaid = new AtomicLong();

    PrivilegeDenials(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
        this.nextAt = new AtomicLong(nanoTime.getAsLong());
    }

    PrivilegeDenials(Logger log) {
        this(log, System::nanoTime);
    }

    /** Whether {@code e} is a missing privilege (then it was logged, or counted for the next line); false otherwise. */
    boolean handled(String what, Throwable e) {
        Optional<SQLException> denied = MissingPrivilegeException.deniedBy(e);
        if (denied.isEmpty()) {
            return false;
        }
        long now = nanoTime.getAsLong();
        long due = nextAt.get();
        if (now - due < 0 || !nextAt.compareAndSet(due, now + EVERY_NANOS)) {
            unsaid.incrementAndGet();
            return true;
        }
        long more = unsaid.getAndSet(0);
        String user = MissingPrivilegeException.userIn(denied.get()).orElse("<user>");
        log.error(
                "{} failed: the database user may not do it ({}){}; a worker needs {}",
                what,
                MissingPrivilegeException.deniedText(denied.get()),
                more == 0 ? "" : "; " + more + " more such failures in the last minute",
                MissingPrivilegeException.grantFor(
                        user, MissingPrivilegeException.databaseIn(denied.get()).orElse(null)));
        return true;
    }
}
