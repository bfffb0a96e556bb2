package dev.steadfast.cli.commands;

import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.BatchView;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.web.BatchJson;
import dev.steadfast.web.PrintedTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steadfast batch list|show|cancel|retry|close}: batches of jobs, their progress and callbacks. */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description = "Batches: jobs enqueued as a group (Java API, POST /api/batches) with callbacks fired once when"
                + " every member succeeded, finished, or one failed.",
        subcommands = {
            BatchCommand.ListBatches.class,
            BatchCommand.Show.class,
            BatchCommand.Cancel.class,
            BatchCommand.Retry.class,
            BatchCommand.Close.class
        })
public final class BatchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list, show, cancel, retry or close");
    }

    static UserException noSuchBatch(long id) {
        return UserException.failure("no batch " + id + " (see: steadfast batch list)");
    }

    /** {@code batch list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Batches, newest first, with progress.")
    static final class ListBatches extends DatabaseCommand {
        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "50",
                description = "At most this many (1 to 1000, default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(
                names = "--before",
                paramLabel = "ID",
                converter = RecordId.Batch.class,
                description = "Only batches older than this one (the next page).")
        Long before;

        @Option(names = "--json", description = "A JSON array of batches, each as 'batch show --json' prints one.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (limit < 1 || limit > 1000) {
                throw UserException.usage("--limit must be 1 to 1000, got " + limit);
            }
            List<BatchView> batches = openQueue(lifecycle).batches().list(before, limit);
            if (json) {
                out().println(StoredText.json(
                        batches.stream().map(BatchJson::of).toList()));
                return ok();
            }
            String format = "%-10s %-10s %10s %10s %10s %10s %10s %10s  %s%n";
            out().printf(
                            format,
                            "BATCH",
                            "STATE",
                            "TOTAL",
                            "PENDING",
                            "RUNNING",
                            "SUCCEEDED",
                            "FAILED",
                            "CANCELLED",
                            "DESCRIPTION");
            for (BatchView b : batches) {
                out().printf(
                                format,
                                b.id(),
                                b.state().text(),
                                b.total(),
                                b.pending(),
                                b.running(),
                                b.succeeded(),
                                b.failed(),
                                b.cancelled(),
                                b.description() == null ? "" : StoredText.line(b.description()));
            }
            if (batches.isEmpty()) {
                out().println("no batches");
            }
            return ok();
        }
    }

    /** {@code batch show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "A batch: progress and callbacks.")
    static final class Show extends DatabaseCommand {
        @Parameters(paramLabel = "BATCH", converter = RecordId.Batch.class, description = "Batch id.")
        long id;

        @Option(names = "--json", description = "As one JSON object, as GET /api/batches/{id} answers it.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            BatchView b = openQueue(lifecycle).batches().find(id).orElseThrow(() -> noSuchBatch(id));
            if (json) {
                out().println(StoredText.json(BatchJson.of(b)));
                return ok();
            }
            out().println("batch " + b.id() + " (" + b.state().text() + ")");
            if (b.description() != null) {
                out().println("  description: " + StoredText.line(b.description()));
            }
            out().println("  progress:    " + b.finished() + " of " + b.total() + " finished: " + b.pending()
                    + " pending, " + b.running() + " running, " + b.succeeded() + " succeeded, " + b.failed()
                    + " failed, " + b.cancelled() + " cancelled");
            Map<String, Long> callbacks = new LinkedHashMap<>();
            callbacks.put("on success", b.onSuccessJob());
            callbacks.put("on complete", b.onCompleteJob());
            callbacks.put("on failure", b.onFailureJob());
            callbacks.forEach((name, job) -> {
                if (job != null) {
                    out().println("  " + name + ":" + " ".repeat(12 - name.length()) + "job " + job);
                }
            });
            if (b.parentBatchId() != null) {
                out().println("  nested in:   batch " + b.parentBatchId() + " (as job " + b.standInJobId() + ")");
            }
            out().println("  created at:  " + PrintedTime.of(b.createdAt()));
            if (b.finishedAt() != null) {
                out().println("  finished at: " + PrintedTime.of(b.finishedAt()));
            }
            return ok();
        }
    }

    /** {@code batch cancel ID}. */
    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a batch and its nested batches: pending members at once, running ones are asked to"
                    + " stop; it ends cancelled when the last has finished. An ended batch: exit 1.")
    static final class Cancel extends DatabaseCommand {
        @Parameters(paramLabel = "BATCH", converter = RecordId.Batch.class, description = "Batch id.")
        long id;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueueForChanges(lifecycle);
            if (!queue.batches().cancel(id)) {
                BatchView b = queue.batches().find(id).orElseThrow(() -> noSuchBatch(id));
                throw UserException.failure("batch " + id + " is " + b.state().text() + " already: nothing to cancel");
            }
            out().println("cancelled batch " + id + " (running members are asked to stop)");
            return ok();
        }
    }

    /** {@code batch retry ID}. */
    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description = "Put a batch's failed members (and its nested batches') back to pending; its callbacks are"
                    + " re-armed and fire once more when their condition is met again.")
    static final class Retry extends DatabaseCommand {
        @Parameters(paramLabel = "BATCH", converter = RecordId.Batch.class, description = "Batch id.")
        long id;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueueForChanges(lifecycle);
            queue.batches().find(id).orElseThrow(() -> noSuchBatch(id));
            long retried = queue.batches().retryFailed(id);
            out().println("retried " + retried + " failed member(s) of batch " + id);
            return ok();
        }
    }

    /** {@code batch close ID}. */
    @Command(
            name = "close",
            mixinStandardHelpOptions = true,
            description = "Close an open batch: it ends when its last member finishes. A batch not open: exit 1.")
    static final class Close extends DatabaseCommand {
        @Parameters(paramLabel = "BATCH", converter = RecordId.Batch.class, description = "Batch id.")
        long id;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueueForChanges(lifecycle);
            if (!queue.batches().close(id)) {
                BatchView b = queue.batches().find(id).orElseThrow(() -> noSuchBatch(id));
                throw UserException.failure("batch " + id + " is " + b.state().text() + ", not open: nothing to close");
            }
            out().println("closed batch " + id);
            return ok();
        }
    }
}
