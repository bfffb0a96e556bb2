package dev.steadfast.cli.commands;

import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.JobIdConverter;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobFilter;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobStatus;
import dev.steadfast.web.JobJson;
import dev.steadfast.web.PrintedTime;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code steadfast failed list|show|retry|forget|flush}: failed jobs. A failed job is a job in state
 * {@code failed}, named by its job id like everywhere else.
 */
@Command(
        name = "failed",
        mixinStandardHelpOptions = true,
        description = "Failed jobs (jobs that used up their attempts): list, show, retry, forget. IDs are job ids.",
        subcommands = {
            FailedCommand.ListFailed.class,
            FailedCommand.Show.class,
            FailedCommand.Retry.class,
            FailedCommand.Forget.class,
            FailedCommand.Flush.class
        })
public final class FailedCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list, show, retry, forget or flush");
    }

    static final JobFilter FAILED = JobFilter.all().status(JobStatus.FAILED);

    static FailedJob find(JobQueue queue, long id) throws SQLException {
        Optional<FailedJob> failed = queue.browser().failure(id, Integer.MAX_VALUE);
        if (failed.isPresent()) {
            return failed.get();
        }
        String state = queue.browser()
                .job(id)
                .map(j -> "job " + id + " is " + j.status().text() + ", not failed")
                .orElse("no job " + id);
        throw UserException.failure(state + " (see: steadfast failed list)");
    }

    static Map<String, Object> summary(FailedJob f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("job_id", f.id()); // the same id: kept for scripts written when the failed log had ids of its own
        m.put("type", f.type());
        m.put("queue", f.queue());
        m.put("attempts", f.attempts());
        m.put("error", f.errorSummary());
        m.put("failed_at", f.failedAt());
        return m;
    }

    /** {@code failed list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List failed jobs, newest first.")
    static final class ListFailed extends DatabaseCommand {
        @Option(
                names = "--json",
                description = "A JSON array of {id, job_id (the same), type, queue, attempts, error, failed_at}.")
        boolean json;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "100",
                description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        FilterOptions filters;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (limit < 1) {
                throw UserException.usage("--limit must be at least 1, got " + limit);
            }
            List<FailedJob> failed = openQueue(lifecycle).browser().failures(filters.filter(), null, limit);
            if (json) {
                out().println(StoredText.json(
                        failed.stream().map(FailedCommand::summary).toList()));
                return ok();
            }
            if (failed.isEmpty()) {
                out().println("no failed jobs" + filters.describe());
                return ok();
            }
            String format = "%-10s %-20s %-12s %8s  %-24s %s%n";
            out().printf(format, "ID", "TYPE", "QUEUE", "ATTEMPTS", "FAILED AT", "ERROR");
            for (FailedJob f : failed) {
                out().printf(
                                format,
                                f.id(),
                                StoredText.line(f.type()),
                                StoredText.line(f.queue()),
                                f.attempts(),
                                PrintedTime.of(f.failedAt()),
                                StoredText.summary(f.errorSummary()));
            }
            return ok();
        }
    }

    /** {@code failed show ID}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Everything about one failed job, stack trace included.")
    static final class Show extends DatabaseCommand {
        @Parameters(
                paramLabel = "ID",
                converter = JobIdConverter.class,
                description = "Job id (from 'failed list' or 'jobs list').")
        long id;

        @Option(names = "--json", description = "As one JSON object.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            FailedJob f = find(openQueue(lifecycle), id);
            if (json) {
                Map<String, Object> m = summary(f);
                m.put("payload", JobJson.payload(f.payload())); // as jobs show --json writes it
                m.put("error_class", f.errorClass());
                m.put("message", f.message());
                m.put("stack_trace", f.stackTrace());
                m.put("worker", f.worker());
                out().println(StoredText.json(m));
                return ok();
            }
            out().println("failed job " + f.id());
            out().println("  type:      " + StoredText.line(f.type()));
            out().println("  queue:     " + StoredText.line(f.queue()));
            out().println("  attempts:  " + f.attempts());
            out().println("  failed at: " + PrintedTime.of(f.failedAt()));
            out().println("  worker:    " + StoredText.line(f.worker()));
            StoredText.printValue(out(), "  payload:   ", f.payload());
            out().println("  error:     " + StoredText.line(f.errorSummary()));
            if (f.stackTrace() != null) {
                out().println("  stack trace:");
                StoredText.printStackTrace(out(), "    ", f.stackTrace());
            }
            return ok();
        }
    }

    /** What retry and forget share: job ids, or every failed job matching filters (--all: no filter), confirmed. */
    abstract static class BulkAction extends DatabaseCommand {
        @Parameters(paramLabel = "ID", converter = JobIdConverter.class, arity = "0..*", description = "Job ids.")
        List<Long> ids = List.of();

        @Option(names = "--all", description = "Every failed job (with filters: every one they match).")
        boolean all;

        @Option(
                names = {"-y", "--yes"},
                description = "Do not ask before acting on many jobs.")
        boolean yes;

        @Mixin
        FilterOptions filters;

        abstract String verb();

        abstract boolean one(JobQueue queue, long id) throws SQLException;

        abstract long many(JobQueue queue, JobFilter filter) throws SQLException;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            boolean bulk = all || filters.any();
            if (ids.isEmpty() == !bulk) {
                throw UserException.usage(
                        ids.isEmpty()
                                ? "name the failed jobs to " + verb()
                                        + ": job ids, or --all, or filters (--queue, --type, --error, --older-than)"
                                : "give job ids or --all/filters, not both");
            }
            JobQueue queue = openQueueForChanges(lifecycle);
            if (!bulk) {
                return EachJob.run(
                        ids,
                        id -> one(queue, id),
                        id -> past() + " failed job " + id,
                        id -> queue.browser()
                                .job(id)
                                .map(j -> "job " + id + " is " + j.status().text() + ", not failed")
                                .orElse("no job " + id),
                        out(),
                        err());
            }
            JobFilter filter = filters.filter().status(JobStatus.FAILED);
            long matching = queue.count(filter, Long.MAX_VALUE);
            if (matching == 0) {
                out().println("no failed jobs" + filters.describe());
                return ok();
            }
            String what =
                    verb() + " " + String.format(Locale.ROOT, "%,d", matching) + " failed job(s)" + filters.describe();
            if (!Confirmation.confirm(yes, what, err())) {
                out().println("nothing done");
                return ExitCode.FAILURE;
            }
            out().println(past() + " " + many(queue, filter) + " failed job(s)" + filters.describe());
            return ok();
        }

        private String past() {
            return verb().equals("retry") ? "retried" : "forgot";
        }
    }

    /** {@code failed retry}. */
    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description =
                    "Put failed jobs back in their queue with fresh attempts: by id, or --all/filters (asks first).")
    static final class Retry extends BulkAction {
        @Override
        String verb() {
            return "retry";
        }

        @Override
        boolean one(JobQueue queue, long id) throws SQLException {
            return queue.retryFailed(id);
        }

        @Override
        long many(JobQueue queue, JobFilter filter) throws SQLException {
            return queue.retryFailed(filter);
        }
    }

    /** {@code failed forget}. */
    @Command(
            name = "forget",
            mixinStandardHelpOptions = true,
            description = "Delete failed jobs: by id, or --all/filters (asks first).")
    static final class Forget extends BulkAction {
        @Override
        String verb() {
            return "forget";
        }

        @Override
        boolean one(JobQueue queue, long id) throws SQLException {
            return queue.forgetFailed(id);
        }

        @Override
        long many(JobQueue queue, JobFilter filter) throws SQLException {
            return queue.delete(filter);
        }
    }

    /** {@code failed flush}. */
    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Delete every failed job (asks first).")
    static final class Flush extends DatabaseCommand {
        @Option(
                names = {"-y", "--yes"},
                description = "Do not ask first.")
        boolean yes;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueueForChanges(lifecycle);
            long matching = queue.count(FAILED, Long.MAX_VALUE);
            if (matching == 0) {
                out().println("no failed jobs");
                return ok();
            }
            if (!Confirmation.confirm(yes, String.format(Locale.ROOT, "delete %,d failed job(s)", matching), err())) {
                out().println("nothing done");
                return ExitCode.FAILURE;
            }
            out().println("deleted " + queue.flushFailed() + " failed job(s)");
            return ok();
        }
    }
}
