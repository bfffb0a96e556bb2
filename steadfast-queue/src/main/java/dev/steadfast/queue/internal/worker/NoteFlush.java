package dev.steadfast.queue.internal.worker;

import dev.steadfast.queue.internal.store.JobNotes;
import dev.steadfast.queue.internal.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Writes what running attempts said (progress, log lines) for many jobs at once: at most one statement for all their
 * progress and one for all their log lines, whatever the number of calls. Taken before the unit of work that writes it
 * (which may run again on a fresh connection), given back when that unit fails; each attempt stays locked from take to
 * commit, so the heartbeat and an outcome never write the same attempt's notes out of order.
 */
final class NoteFlush {
    private final List<RunningAttempt> locked;
    private final List<RunningAttempt.Said> said;

    private NoteFlush(List<RunningAttempt> locked, List<RunningAttempt.Said> said) {
        this.locked = locked;
        this.said = said;
    }

    /** For the heartbeat: attempts whose outcome is being written are skipped (the outcome writes them). */
    static NoteFlush forHeartbeat(Collection<RunningAttempt> attempts) {
        List<RunningAttempt> locked = new ArrayList<>();
        for (RunningAttempt a : attempts) {
            if (a.flushing.tryLock()) {
                locked.add(a);
            }
        }
        return take(locked);
    }

    /** For an outcome: waits for a heartbeat writing these attempts (taken in job order: outcomes never deadlock). */
    static NoteFlush forOutcome(Collection<RunningAttempt> attempts) {
        List<RunningAttempt> locked = attempts.stream()
                .filter(Objects::nonNull)
                .sorted(Comparator.comparingLong(a -> a.job().id()))
                .toList();
        locked.forEach(a -> a.flushing.lock());
        return take(locked);
    }

    private static NoteFlush take(List<RunningAttempt> locked) {
        List<RunningAttempt.Said> said = new ArrayList<>(locked.size());
        for (RunningAttempt a : locked) {
            said.add(a.take());
        }
        return new NoteFlush(locked, said);
    }

    /** Writes the notes taken (nothing when none was said). */
    void write(Connection c, Store store) throws SQLException {
        List<JobNotes.Progress> progress = new ArrayList<>();
        List<JobNotes.LogLines> logs = new ArrayList<>();
        for (RunningAttempt.Said s : said) {
            if (s != null && s.progress() != null) {
                progress.add(s.progress());
            }
            if (s != null && s.log() != null) {
                logs.add(s.log());
            }
        }
        store.notes().writeProgress(c, progress);
        store.notes().appendLogs(c, logs);
    }

    /** The unit that wrote them committed. */
    void written() {
        locked.forEach(a -> a.flushing.unlock());
    }

    /** The unit that was to write them failed: they are written next time. */
    void notWritten() {
        for (int i = 0; i < locked.size(); i++) {
            if (said.get(i) != null) {
                locked.get(i).putBack(said.get(i));
            }
        }
        written();
    }
}
