package dev.steadfast.cli.commands;

import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.JobIdConverter;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobAttempt;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobLog;
import dev.steadfast.queue.JobOutput;
import dev.steadfast.queue.JobPage;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.queue.JobView;
import dev.steadfast.web.JobJson;
import dev.steadfast.web.PrintedTime;
import dev.steadfast.web.RetentionNote;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steadfast jobs list|show|delete|purge|run-now}: jobs in any state, by job id. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Jobs in any state: list, show, delete, purge, run-now.",
        subcommands = {
            JobsCommand.ListJobs.class,
            JobsCommand.Show.class,
            JobsCommand.Delete.class,
            JobsCommand.Purge.class,
            JobsCommand.RunNow.class
        })
public final class JobsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list, show, delete, purge or run-now");
    }

    /** {@code jobs list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List jobs: pending and scheduled by when they will run, others newest first.")
    static final class ListJobs extends DatabaseCommand {
        @Option(
                names = "--state",
                paramLabel = "STATE",
                description = "pending, scheduled, running, succeeded, failed, cancelled or waiting (default: any).")
        String state;

        @Option(
                names = "--search",
                paramLabel = "TEXT",
                description = "A job id, or the start of a type or unique key.")
        String search;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "50",
                description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(
                names = "--json",
                description = "A JSON array of jobs (id, state, queue, type, attempts, run_at, ...), as the"
                        + " items of GET /api/jobs.")
        boolean json;

        @Mixin
        FilterOptions filters;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (limit < 1 || limit > 10_000) {
                throw UserException.usage("--limit must be between 1 and 10000, got " + limit);
            }
            JobStatus status = FilterOptions.status("--state", state);
            JobFilter filter = filters.filter().status(status).search(search);
            JobPage page = openQueue(lifecycle).browser().page(filter, null, limit);
            if (json) {
                out().println(StoredText.json(
                        page.jobs().stream().map(JobJson::summary).toList()));
                return ok();
            }
            if (page.jobs().isEmpty()) {
                out().println("no " + (status == null ? "" : status.text() + " ") + "jobs" + filters.describe());
                return ok();
            }
            String format = "%-10s %-10s %-16s %-20s %8s  %-24s %s%n";
            out().printf(format, "ID", "STATE", "QUEUE", "TYPE", "ATTEMPTS", "RUN AT / FINISHED", "LAST ERROR");
            for (JobView j : page.jobs()) {
                out().printf(
                                format,
                                j.id(),
                                j.status().text(),
                                StoredText.line(j.queue()),
                                StoredText.line(j.type()),
                                j.attempts() + "/" + j.maxAttempts(),
                                PrintedTime.of(j.finishedAt() != null ? j.finishedAt() : j.runAt()),
                                StoredText.summary(j.lastError()));
            }
            if (page.next() != null) {
                out().printf(
                                Locale.ROOT,
                                "showing %,d of %s%,d (raise --limit or narrow with filters)%n",
                                page.jobs().size(),
                                page.totalCapped() ? "at least " : "",
                                page.total());
            }
            return ok();
        }
    }

    /** {@code jobs show ID}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One job: payload, attempt history, last error, progress, result, log.")
    static final class Show extends DatabaseCommand {
        @Parameters(paramLabel = "ID", converter = JobIdConverter.class, description = "Job id.")
        long id;

        @Option(
                names = "--json",
                description = "As one JSON object, as GET /api/jobs/{id} answers it: the payload as its JSON"
                        + " value, history, last_error, stack_trace, output, result, progress, log.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueue(lifecycle);
            if (json) {
                out().println(StoredText.json(JobJson.detail(queue, id).orElseThrow(() -> noSuchJob(id))));
                return ok();
            }
            JobView j = queue.browser().job(id).orElseThrow(() -> noSuchJob(id));
            // the failure's message and stack trace; its payload is the job's, read above
            Optional<FailedJob> failure = queue.browser().failure(id);
            List<JobOutput> outputs = queue.browser().outputs(id); // what a command printed (work --exec)
            out().println("job " + j.id() + " (" + j.status().text() + ")");
            out().println("  type:        " + StoredText.line(j.type()));
            out().println("  queue:       " + StoredText.line(j.queue()) + " (priority " + j.priority() + ")");
            out().println("  attempts:    " + j.attempts() + " of " + j.maxAttempts());
            out().println("  created at:  " + PrintedTime.of(j.createdAt()));
            out().println("  run at:      " + PrintedTime.of(j.runAt()));
            if (j.finishedAt() != null) {
                out().println("  finished at: " + PrintedTime.of(j.finishedAt()));
            }
            if (j.uniqueKey() != null) {
                out().println("  unique key:  " + StoredText.line(j.uniqueKey()));
            }
            if (j.leaseOwner() != null && j.status() == JobStatus.RUNNING) {
                out().println("  worker:      " + StoredText.line(j.leaseOwner()));
            }
            queue.browser()
                    .progress(id)
                    .ifPresent(p -> out().println("  progress:    "
                            + Math.round(p.fraction() * 1000) / 10.0 + "%"
                            + (p.message() == null ? "" : " " + StoredText.line(p.message()))
                            + " (at " + PrintedTime.of(p.updatedAt()) + ")"));
            StoredText.printValue(out(), "  payload:     ", j.payload());
            if (!j.history().isEmpty()) {
                out().println("  history:");
                for (JobAttempt a : j.history()) {
                    out().println("    #" + a.number() + " " + StoredText.line(a.outcome()) + " after "
                            + (a.duration() == null ? "?" : a.duration().toMillis()) + " ms on "
                            + StoredText.line(a.worker())
                            + ", started " + PrintedTime.of(a.startedAt())
                            + (a.error() == null ? "" : ": " + StoredText.line(a.error())));
                }
            }
            if (j.lastError() != null) {
                out().println("  last error:  " + StoredText.line(j.lastError()));
            }
            failure.map(FailedJob::stackTrace).ifPresent(trace -> {
                out().println("  stack trace:");
                StoredText.printStackTrace(out(), "    ", trace);
            });
            Optional<String> result = queue.browser().result(id);
            if (result.isPresent()) {
                StoredText.printValue(out(), "  result:      ", result.get());
            }
            for (JobLog log : queue.browser().logs(id)) {
                out().println("  log of attempt " + log.attempt() + " (" + log.bytes() + " bytes logged):");
                StoredText.printLines(out(), "    ", log.text());
            }
            for (JobOutput o : outputs) {
                out().println("  output of attempt " + o.attempt() + " ("
                        + (o.exitStatus() == null ? "stopped before it ended" : "exit status " + o.exitStatus())
                        + "):");
                StoredText.printLines(out(), "    ", o.stdout());
                StoredText.printLines(out(), "    stderr: ", o.stderr());
            }
            return ok();
        }

        private static UserException noSuchJob(long id) {
            return UserException.failure("no job " + id + " (" + RetentionNote.GONE + ")");
        }
    }

    /** {@code jobs delete ID...}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete jobs by id (not running ones).")
    static final class Delete extends DatabaseCommand {
        @Parameters(paramLabel = "ID", converter = JobIdConverter.class, arity = "1..*", description = "Job ids.")
        List<Long> ids = new ArrayList<>();

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueueForChanges(lifecycle);
            return EachJob.run(
                    ids,
                    queue::delete,
                    id -> "deleted job " + id,
                    id -> queue.browser()
                            .job(id)
                            .map(j -> "job " + id + " is running: it cannot be deleted until it finishes")
                            .orElse("no job " + id),
                    out(),
                    err());
        }
    }

    /** {@code jobs purge}. */
    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description = "Delete every job in a state matching the filters (asks first).")
    static final class Purge extends DatabaseCommand {
        @Option(
                names = "--state",
                required = true,
                paramLabel = "STATE",
                description = "pending, scheduled, succeeded or failed (running jobs are never purged).")
        String state;

        @Option(
                names = {"-y", "--yes"},
                description = "Do not ask first.")
        boolean yes;

        @Mixin
        FilterOptions filters;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobStatus status = FilterOptions.status("--state", state);
            if (status == JobStatus.RUNNING) {
                throw UserException.usage(
                        "running jobs belong to their workers: purge pending, scheduled, succeeded or failed jobs");
            }
            JobFilter filter = filters.filter().status(status);
            String shown = status == null ? state : status.text();
            JobQueue queue = openQueueForChanges(lifecycle);
            long matching = queue.count(filter, Long.MAX_VALUE);
            String what = String.format(Locale.ROOT, "%,d %s job(s)", matching, shown) + filters.describe();
            if (matching == 0) {
                out().println("no " + shown + " jobs" + filters.describe());
                return ok();
            }
            if (!Confirmation.confirm(yes, "delete " + what, err())) {
                out().println("nothing done");
                return ExitCode.FAILURE;
            }
            out().println("deleted " + queue.delete(filter) + " " + shown + " job(s)" + filters.describe());
            return ok();
        }
    }

    /** {@code jobs run-now ID}. */
    @Command(name = "run-now", mixinStandardHelpOptions = true, description = "Make scheduled jobs due now.")
    static final class RunNow extends DatabaseCommand {
        @Parameters(paramLabel = "ID", converter = JobIdConverter.class, arity = "1..*", description = "Job ids.")
        List<Long> ids = new ArrayList<>();

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueueForChanges(lifecycle);
            return EachJob.run(
                    ids,
                    queue::runNow,
                    id -> "job " + id + " is due now",
                    id -> queue.browser()
                            .job(id)
                            .map(j -> "job " + id + " is " + j.status().text() + ", not scheduled")
                            .orElse("no job " + id),
                    out(),
                    err());
        }
    }
}
