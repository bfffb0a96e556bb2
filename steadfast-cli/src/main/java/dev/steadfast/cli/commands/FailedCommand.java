package dev.steadfast.cli.commands;

import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.FailedJob;
import dev.steadfast.queue.JobQueue;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code steadfast failed list|show|retry|forget|flush}: the failed-job log. */
@Command(name = "failed", mixinStandardHelpOptions = true, description = "Inspect and act on the failed-job log.",
        subcommands = {FailedCommand.ListFailed.class, FailedCommand.Show.class, FailedCommand.Retry.class,
                FailedCommand.Forget.class, FailedCommand.Flush.class})
public final class FailedCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, show, retry, forget or flush");
    }

    static FailedJob find(JobQueue queue, long id) throws java.sql.SQLException {
        return queue.failedJob(id).orElseThrow(() -> UserException.failure(
                "no failed job with id " + id + " (see: steadfast failed list)"));
    }

    static Map<String, Object> summary(FailedJob f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("job_id", f.id());
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
        @Option(names = "--json", description = "A JSON array of {id, job_id, type, queue, attempts, error, failed_at}.")
        boolean json;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (limit < 1) {
                throw UserException.usage("--limit must be at least 1, got " + limit);
            }
            List<FailedJob> failed = openQueue(lifecycle).failedJobs(limit);
            if (json) {
                out().println(JSON.writeValueAsString(failed.stream().map(FailedCommand::summary).toList()));
                return ok();
            }
            if (failed.isEmpty()) {
                out().println("no failed jobs");
                return ok();
            }
            String format = "%-8s %-8s %-20s %-12s %8s  %-24s %s%n";
            out().printf(format, "ID", "JOB", "TYPE", "QUEUE", "ATTEMPTS", "FAILED AT", "ERROR");
            for (FailedJob f : failed) {
                out().printf(format, f.id(), f.id(), f.type(), f.queue(), f.attempts(), f.failedAt(),
                        oneLine(f.errorSummary()));
            }
            return ok();
        }

        private static String oneLine(String text) {
            String line = text.replaceAll("\\s+", " ");
            return line.length() > 120 ? line.substring(0, 117) + "..." : line;
        }
    }

    /** {@code failed show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Everything about one failed job, stack trace included.")
    static final class Show extends DatabaseCommand {
        @Parameters(paramLabel = "ID", description = "Failed-job id (from 'failed list').")
        long id;

        @Option(names = "--json", description = "As one JSON object.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            FailedJob f = find(openQueue(lifecycle), id);
            if (json) {
                Map<String, Object> m = summary(f);
                m.put("payload", f.payload());
                m.put("error_class", f.errorClass());
                m.put("message", f.message());
                m.put("stack_trace", f.stackTrace());
                m.put("worker", f.worker());
                out().println(JSON.writeValueAsString(m));
                return ok();
            }
            out().println("failed job " + f.id() + " (job " + f.id() + ")");
            out().println("  type:      " + f.type());
            out().println("  queue:     " + f.queue());
            out().println("  attempts:  " + f.attempts());
            out().println("  failed at: " + f.failedAt());
            out().println("  worker:    " + f.worker());
            out().println("  payload:   " + f.payload());
            out().println("  error:     " + f.errorSummary());
            if (f.stackTrace() != null) {
                out().println("  stack trace:");
                f.stackTrace().lines().forEach(line -> out().println("    " + line));
            }
            return ok();
        }
    }

    /** {@code failed retry ID|--all}. */
    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Put failed jobs back in their queue with fresh attempts.")
    static final class Retry extends DatabaseCommand {
        @ArgGroup(multiplicity = "1")
        Which which;

        static final class Which {
            @Parameters(paramLabel = "ID", description = "Failed-job id.")
            Long id;

            @Option(names = "--all", description = "Every failed job.")
            boolean all;
        }

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueue(lifecycle);
            if (which.all) {
                out().println("retrying " + queue.retryAllFailed() + " failed job(s)");
                return ok();
            }
            FailedJob f = find(queue, which.id);
            if (!queue.retryFailed(f.id())) {
                throw UserException.failure("failed job " + f.id() + " could not be retried: it changed meanwhile");
            }
            out().println("retrying failed job " + f.id() + " (job " + f.id() + ", type " + f.type() + ")");
            return ok();
        }
    }

    /** {@code failed forget ID}. */
    @Command(name = "forget", mixinStandardHelpOptions = true, description = "Delete one failed job from the log.")
    static final class Forget extends DatabaseCommand {
        @Parameters(paramLabel = "ID", description = "Failed-job id.")
        long id;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueue(lifecycle);
            FailedJob f = find(queue, id);
            queue.forgetFailed(f.id());
            out().println("forgot failed job " + f.id());
            return ok();
        }
    }

    /** {@code failed flush}. */
    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Delete every failed job from the log.")
    static final class Flush extends DatabaseCommand {
        @Override
        int run(Lifecycle lifecycle) throws Exception {
            out().println("deleted " + openQueue(lifecycle).flushFailed() + " failed job(s)");
            return ok();
        }
    }
}
