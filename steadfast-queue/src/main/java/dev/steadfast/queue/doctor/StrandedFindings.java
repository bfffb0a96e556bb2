package dev.steadfast.queue.doctor;

import dev.steadfast.queue.QueueFacts;
import dev.steadfast.queue.StrandedJobs;
import dev.steadfast.queue.StrandedReport;
import dev.steadfast.queue.text.ControlCharacters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the live workers will start the due jobs: one finding per queue and type none of them serves or handles
 * (WARN; ERROR once the oldest has waited {@link #ERROR_AFTER} or more than {@link #ERROR_ABOVE} wait), or one saying
 * that no worker is alive while jobs are due. Pure: the report and facts are passed in.
 */
final class StrandedFindings {
    static final Duration ERROR_AFTER = Duration.ofMinutes(10);
    static final long ERROR_ABOVE = 1000;
    private static final String CHECK = "workers";

    private StrandedFindings() {}

    static List<Finding> of(StrandedReport report, QueueFacts queue) {
        List<Finding> findings = new ArrayList<>();
        if (report.liveWorkers() == 0) {
            // every due job would be "stranded": say the one thing that is true instead
            if (queue.duePending() > 0) {
                findings.add(
                        new Finding(
                                Severity.WARN,
                                CHECK,
                                "no live worker (none sent a heartbeat in the last minute); " + queue.duePending()
                                        + " job(s) due, oldest waiting " + queue.oldestDueSeconds() + " s",
                                "start a worker: steadfast work --queue QUEUE --exec COMMAND (or the application that runs one)"));
            } else {
                findings.add(new Finding(Severity.OK, CHECK, "no live worker, and no job is due", ""));
            }
            return findings;
        }
        if (report.jobs().isEmpty()) {
            findings.add(new Finding(
                    Severity.OK,
                    CHECK,
                    report.liveWorkers()
                            + " live worker(s); every due job is in a queue they serve, of a type they handle",
                    ""));
            return findings;
        }
        for (StrandedJobs jobs : report.jobs()) {
            boolean bad = jobs.oldestWait().compareTo(ERROR_AFTER) > 0 || jobs.due() > ERROR_ABOVE;
            String fix = (jobs.queueServed()
                            ? "start a worker for queue " + jobs.queue() + " with a handler for " + jobs.type()
                                    + ", or check the type's spelling"
                            : "start a worker that serves queue " + jobs.queue() + ", or check the queue's name")
                    + "; jobs enqueued by mistake: steadfast cancel --queue " + jobs.queue() + " --type " + jobs.type();
            findings.add(new Finding(
                    bad ? Severity.ERROR : Severity.WARN,
                    "stranded jobs",
                    ControlCharacters.oneLine(jobs.describe()),
                    ControlCharacters.oneLine(fix)));
        }
        return findings;
    }
}
