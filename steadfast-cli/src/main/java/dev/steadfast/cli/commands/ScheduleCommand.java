package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.JobRequest;
import dev.steadfast.queue.MissedTicks;
import dev.steadfast.queue.Schedule;
import dev.steadfast.queue.ScheduleView;
import dev.steadfast.web.PrintedCadence;
import dev.steadfast.web.PrintedTime;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steadfast schedule add|list|remove}: recurring jobs, kept in the database and ticked by every worker. */
@Command(
        name = "schedule",
        mixinStandardHelpOptions = true,
        description = "Recurring jobs: a job enqueued at every tick of a cron expression or an interval, exactly once"
                + " per tick by whichever worker gets there first.",
        subcommands = {
            ScheduleCommand.Add.class,
            ScheduleCommand.ListSchedules.class,
            ScheduleCommand.Remove.class,
            ScheduleCommand.Pause.class,
            ScheduleCommand.Resume.class
        })
public final class ScheduleCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: add, list, remove, pause or resume");
    }

    /** {@code --cron EXPR} or {@code --every DURATION}, one of them. */
    static final class Cadence {
        @Option(
                names = "--cron",
                paramLabel = "EXPR",
                description = "A cron expression: 5 fields (minute hour day month weekday), 6 with seconds first, or"
                        + " @hourly, @daily, @weekly, @monthly, @yearly.")
        String cron;

        @Option(
                names = "--every",
                converter = DurationConverter.class,
                paramLabel = "DURATION",
                description = "A fixed interval (30s, 5m, 1h), the first tick one interval from now.")
        Duration every;
    }

    /** {@code schedule add NAME}. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description =
                    "Add a schedule, or update the one of that name (its next tick stays while the cadence does).")
    static final class Add extends DatabaseCommand {
        @Parameters(paramLabel = "NAME", description = "The schedule's name.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Cadence cadence;

        @Option(
                names = "--zone",
                paramLabel = "ZONE",
                description = "The cron expression's time zone (default: UTC), e.g. Europe/Berlin.")
        String zone;

        @Option(
                names = "--type",
                paramLabel = "TYPE",
                required = true,
                description = "The job type to enqueue at each tick.")
        String type;

        @Option(
                names = "--payload",
                defaultValue = "{}",
                paramLabel = "JSON|@FILE",
                description =
                        "The jobs' JSON payload, @file to read it from a file, or @- from standard input (default: {}).")
        String payload;

        @Option(
                names = "--queue",
                paramLabel = "QUEUE",
                defaultValue = JobRequest.DEFAULT_QUEUE,
                description = "Queue (default: ${DEFAULT-VALUE}).")
        String queue;

        @Option(
                names = "--priority",
                paramLabel = "N",
                defaultValue = "0",
                description = "Higher runs first (default: ${DEFAULT-VALUE}).")
        int priority;

        @Option(
                names = "--max-attempts",
                paramLabel = "N",
                defaultValue = "3",
                description = "Attempts per job (default: ${DEFAULT-VALUE}).")
        int maxAttempts;

        @Option(
                names = "--timeout",
                converter = DurationConverter.class,
                paramLabel = "DURATION",
                description = "How long one attempt may run (default: the handler's, or no limit).")
        Duration timeout;

        @Option(
                names = "--missed",
                defaultValue = "skip",
                paramLabel = "skip|once|all",
                description =
                        "Ticks missed while no worker ran: enqueue none, one, or all (at most 100) (default: ${DEFAULT-VALUE}).")
        String missed;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            Schedule schedule = schedule(PayloadText.read(payload, JobQueue.DEFAULT_MAX_PAYLOAD_BYTES, System.in));
            JobQueue jobs = openQueueForChanges(lifecycle);
            boolean existed = jobs.schedules().stream().anyMatch(s -> s.name().equals(name));
            ScheduleView saved = jobs.schedule(schedule);
            out().println((existed ? "updated" : "added") + " schedule " + name + ": " + PrintedCadence.of(saved)
                    + (schedule.cron() != null ? " (" + PrintedTime.zone(saved.zone()) + ")" : "")
                    + (saved.paused()
                            ? ", paused: no run until 'steadfast schedule resume " + name + "'"
                            : ", next run " + PrintedTime.of(saved.nextRun())));
            return ok();
        }

        private Schedule schedule(String json) {
            MissedTicks policy;
            try {
                policy = MissedTicks.of(missed);
            } catch (IllegalArgumentException e) {
                throw UserException.usage("--missed: " + e.getMessage());
            }
            ZoneId zoneId = null;
            if (zone != null) {
                if (cadence.cron == null) {
                    throw UserException.usage("--zone applies to --cron, not to --every");
                }
                try {
                    zoneId = ZoneId.of(zone);
                } catch (DateTimeException e) {
                    throw UserException.usage(
                            "unknown time zone '" + zone + "' (examples: UTC, Europe/Berlin, America/New_York)");
                }
            }
            try {
                JobRequest.Builder job = JobRequest.of(type)
                        .queue(queue)
                        .payloadJson(json)
                        .priority(priority)
                        .maxAttempts(maxAttempts);
                if (timeout != null) {
                    job.timeout(timeout);
                }
                Schedule schedule = cadence.cron != null
                        ? Schedule.cron(name, cadence.cron, zoneId, job.build())
                        : Schedule.every(name, cadence.every, job.build());
                return schedule.missed(policy);
            } catch (IllegalArgumentException e) {
                throw UserException.usage(e.getMessage());
            }
        }
    }

    /** {@code schedule list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every schedule: its cadence, next and last run.")
    static final class ListSchedules extends DatabaseCommand {
        @Option(
                names = "--json",
                description = "A JSON array of {name, expression, zone, type, queue, missed, paused,"
                        + " next_run, last_run, last_job_id}.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            List<ScheduleView> schedules = openQueue(lifecycle).schedules();
            if (json) {
                out().println(StoredText.json(schedules.stream()
                        .map(s -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("name", s.name());
                            m.put("expression", PrintedCadence.of(s));
                            m.put("zone", PrintedTime.zone(s.zone()));
                            m.put("type", s.type());
                            m.put("queue", s.queue());
                            m.put("missed", s.missed().word());
                            m.put("paused", s.paused());
                            m.put("next_run", s.nextRun());
                            m.put("last_run", s.lastRun());
                            m.put("last_job_id", s.lastJobId());
                            return m;
                        })
                        .toList()));
                return ok();
            }
            String format = "%-24s %-20s %-16s %-16s %-25s %-25s %s%n";
            out().printf(format, "NAME", "EXPRESSION", "ZONE", "TYPE", "NEXT RUN", "LAST RUN", "LAST JOB");
            for (ScheduleView s : schedules) {
                out().printf(
                                format,
                                StoredText.line(s.name()),
                                StoredText.line(PrintedCadence.of(s)),
                                s.zone() == null ? "-" : PrintedTime.zone(s.zone()),
                                StoredText.line(s.type()),
                                s.paused() ? "paused" : PrintedTime.of(s.nextRun()),
                                PrintedTime.of(s.lastRun()),
                                s.lastJobId() == null ? "-" : s.lastJobId());
            }
            if (schedules.isEmpty()) {
                out().println("no schedules (add one: steadfast schedule add NAME --cron \"0 3 * * *\" --type T)");
            }
            return ok();
        }
    }

    /** {@code schedule remove NAME}. */
    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Remove a schedule (jobs it enqueued stay).")
    static final class Remove extends DatabaseCommand {
        @Parameters(paramLabel = "NAME", description = "The schedule's name.")
        String name;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (!openQueueForChanges(lifecycle).unschedule(name)) {
                throw UserException.failure("no schedule named '" + name + "' (see: steadfast schedule list)");
            }
            out().println("removed schedule " + name);
            return ok();
        }
    }

    /** What pause and resume share: a known schedule, changed or said to be so already. */
    abstract static class Toggle extends DatabaseCommand {
        @Parameters(paramLabel = "NAME", description = "The schedule's name.")
        String name;

        abstract boolean pause();

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue jobs = openQueueForChanges(lifecycle);
            known(jobs, name);
            boolean changed = pause() ? jobs.pauseSchedule(name) : jobs.resumeSchedule(name);
            out().println(
                            (changed
                                    ? (pause() ? "paused" : "resumed") + " schedule " + name
                                    : "schedule " + name + (pause() ? " was paused already" : " was not paused")));
            return ok();
        }
    }

    /** {@code schedule pause NAME}. */
    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Pause a schedule: it enqueues nothing until resumed.")
    static final class Pause extends Toggle {
        @Override
        boolean pause() {
            return true;
        }
    }

    /** {@code schedule resume NAME}. */
    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description =
                    "Resume a paused schedule from its next tick (ticks passed while paused are not made up for).")
    static final class Resume extends Toggle {
        @Override
        boolean pause() {
            return false;
        }
    }

    private static void known(JobQueue jobs, String name) throws SQLException {
        if (jobs.schedules().stream().noneMatch(s -> s.name().equals(name))) {
            throw UserException.failure("no schedule named '" + name + "' (see: steadfast schedule list)");
        }
    }
}
