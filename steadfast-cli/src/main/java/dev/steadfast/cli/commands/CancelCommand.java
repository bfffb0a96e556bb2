package dev.steadfast.cli.commands;

import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.JobIdConverter;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.CancelOutcome;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code steadfast cancel ID... | --all | filters}: a waiting job is cancelled at once (it never runs, is not a failure);
 * a running job's worker is asked to stop it, and it ends cancelled instead of being retried.
 */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description =
                "Cancel jobs: waiting ones at once, running ones are asked to stop (their worker sees it at its next"
                        + " heartbeat). Finished or unknown jobs: exit 1.")
public final class CancelCommand extends DatabaseCommand {
    @Parameters(paramLabel = "ID", converter = JobIdConverter.class, arity = "0..*", description = "Job ids.")
    List<Long> ids = List.of();

    @Option(names = "--all", description = "Every waiting and running job (with filters: every one they match).")
    boolean all;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask before cancelling many jobs.")
    boolean yes;

    @Mixin
    FilterOptions filters;

    @Override
    int run(Lifecycle lifecycle) throws Exception {
        boolean bulk = all || filters.any();
        if (ids.isEmpty() == !bulk) {
            throw UserException.usage(
                    ids.isEmpty()
                            ? "name the jobs to cancel: job ids, or --all, or filters (--queue, --type)"
                            : "give job ids or --all/filters, not both");
        }
        JobQueue queue = openQueueForChanges(lifecycle);
        if (!bulk) {
            int refused = 0;
            for (Map.Entry<Long, CancelOutcome> e : queue.cancel(ids).entrySet()) {
                long id = e.getKey();
                switch (e.getValue()) {
                    case CANCELLED -> out().println("cancelled job " + id);
                    case STOP_REQUESTED -> out().println("job " + id + " is running: its worker was asked to stop it");
                    case ALREADY_FINISHED -> {
                        err().println("steadfast: job " + id + " is "
                                + queue.browser()
                                        .job(id)
                                        .map(j -> j.status().text())
                                        .orElse("gone") + " already: nothing to cancel");
                        refused++;
                    }
                    case NOT_FOUND -> {
                        err().println("steadfast: no job " + id + " (see: steadfast jobs list)");
                        refused++;
                    }
                }
            }
            return refused == 0 ? ok() : ExitCode.FAILURE;
        }
        JobFilter filter = filters.filter();
        long matching = 0;
        for (JobStatus status : JobStatus.values()) {
            matching += status.cancellable() ? queue.count(filter.status(status), Long.MAX_VALUE) : 0;
        }
        if (matching == 0) {
            out().println("no waiting or running jobs" + filters.describe());
            return ok();
        }
        String what = "cancel " + String.format(Locale.ROOT, "%,d", matching) + " waiting or running job(s)"
                + filters.describe();
        if (!Confirmation.confirm(yes, what, err())) {
            return ExitCode.FAILURE;
        }
        long done = queue.cancel(filter);
        out().println("cancelled or asked to stop " + String.format(Locale.ROOT, "%,d", done) + " job(s)"
                + filters.describe());
        return ok();
    }
}
