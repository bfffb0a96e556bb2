package dev.steadfast.cli.commands;

import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.WorkflowStep;
import dev.steadfast.queue.WorkflowView;
import dev.steadfast.web.PrintedTime;
import dev.steadfast.web.WorkflowJson;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steadfast workflow list|show|cancel|retry}: workflows (named DAGs of jobs) enqueued through the API. */
@Command(
        name = "workflow",
        mixinStandardHelpOptions = true,
        description = "Workflows: named DAGs of jobs, each step running after the steps it names.",
        subcommands = {
            WorkflowCommand.ListWorkflows.class,
            WorkflowCommand.Show.class,
            WorkflowCommand.Cancel.class,
            WorkflowCommand.Retry.class
        })
public final class WorkflowCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list, show, cancel or retry");
    }

    private static UserException notFound(long id) {
        return UserException.failure("no workflow " + id + " (see: steadfast workflow list)");
    }

    /** {@code workflow list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Workflows, newest first.")
    static final class ListWorkflows extends DatabaseCommand {
        @Option(
                names = "--json",
                description = "A JSON array of {id, name, state, on_failure, step_count, counts, created_at,"
                        + " finished_at}.")
        boolean json;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "50",
                description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(
                names = "--before",
                paramLabel = "ID",
                converter = RecordId.Workflow.class,
                description = "Only workflows older than this id (a page).")
        Long before;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (limit < 1 || limit > 10_000) {
                throw UserException.usage("--limit must be 1 to 10000, got " + limit);
            }
            List<WorkflowView> workflows = openQueue(lifecycle).workflows().list(before, limit);
            if (json) {
                out().println(JSON.writeValueAsString(
                        workflows.stream().map(WorkflowJson::summary).toList()));
                return ok();
            }
            String format = "%-10s %-32s %-10s %6s  %-25s %s%n";
            out().printf(format, "ID", "NAME", "STATE", "STEPS", "CREATED", "FINISHED");
            for (WorkflowView w : workflows) {
                out().printf(
                                format,
                                w.id(),
                                StoredText.line(w.name()),
                                w.state().text(),
                                w.stepCount(),
                                PrintedTime.of(w.createdAt()),
                                PrintedTime.of(w.finishedAt()));
            }
            if (workflows.isEmpty()) {
                out().println("no workflows");
            }
            return ok();
        }
    }

    /** {@code workflow show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "A workflow and its steps.")
    static final class Show extends DatabaseCommand {
        @Parameters(paramLabel = "ID", converter = RecordId.Workflow.class, description = "The workflow's id.")
        long id;

        @Option(
                names = "--json",
                description = "One JSON object: id, name, state, on_failure, step_count, counts, created_at,"
                        + " finished_at, steps: {name: {job_id, state, after, result}}.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            Optional<WorkflowView> found = openQueue(lifecycle).workflows().find(id);
            WorkflowView w = found.orElseThrow(() -> notFound(id));
            if (json) {
                out().println(JSON.writeValueAsString(WorkflowJson.detail(w)));
                return ok();
            }
            out().println("workflow " + w.id() + " " + StoredText.line(w.name()) + ": "
                    + w.state().text()
                    + " (on failure: " + w.onFailure().text() + ", created " + PrintedTime.of(w.createdAt())
                    + (w.finishedAt() == null ? "" : ", finished " + PrintedTime.of(w.finishedAt())) + ")");
            String format = "  %-24s %-10s %-10s %s%n";
            out().printf(format, "STEP", "JOB", "STATE", "AFTER");
            for (WorkflowStep s : w.steps()) {
                out().printf(
                                format,
                                StoredText.line(s.name()),
                                s.jobId(),
                                s.status().text(),
                                s.after().isEmpty() ? "-" : StoredText.line(String.join(", ", s.after())));
                if (s.batch() != null) { // a step that is a batch: its job stands in for it
                    out().printf(
                                    "    batch %d: %s, %d of %d members finished (%d succeeded, %d failed, %d cancelled)%n",
                                    s.batch().id(),
                                    s.batch().state().text(),
                                    s.batch().finished(),
                                    s.batch().total(),
                                    s.batch().succeeded(),
                                    s.batch().failed(),
                                    s.batch().cancelled());
                }
            }
            return ok();
        }
    }

    /** {@code workflow cancel ID}. */
    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a workflow: its pending and waiting steps are cancelled, running ones asked to stop.")
    static final class Cancel extends DatabaseCommand {
        @Parameters(paramLabel = "ID", converter = RecordId.Workflow.class, description = "The workflow's id.")
        long id;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            int n = openQueueForChanges(lifecycle).workflows().cancel(id).orElseThrow(() -> notFound(id));
            out().println("cancelled workflow " + id + " (" + n + " steps cancelled or asked to stop)");
            return ok();
        }
    }

    /** {@code workflow retry ID}. */
    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description = "Retry a workflow's failed steps with fresh attempts (steps waiting for them go on when they"
                    + " succeed).")
    static final class Retry extends DatabaseCommand {
        @Parameters(paramLabel = "ID", converter = RecordId.Workflow.class, description = "The workflow's id.")
        long id;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            int n = openQueueForChanges(lifecycle).workflows().retry(id).orElseThrow(() -> notFound(id));
            out().println("retried " + n + " failed steps of workflow " + id);
            return ok();
        }
    }
}
