package dev.steadfast.cli.commands;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.RateConverter;
import dev.steadfast.cli.UserException;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.NameRule;
import dev.steadfast.queue.QueueControl;
import dev.steadfast.queue.QueueStats;
import dev.steadfast.queue.RateLimit;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code steadfast queue pause|resume|limit|list}: what operators decide about whole queues. */
@Command(
        name = "queue",
        mixinStandardHelpOptions = true,
        description = "Queues: list them, pause and resume them, limit their rate.",
        subcommands = {
            QueueCommand.Pause.class,
            QueueCommand.Resume.class,
            QueueCommand.Limit.class,
            QueueCommand.ListQueues.class
        })
public final class QueueCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list, pause, resume or limit");
    }

    /**
     * A name about to be stored (a pause, a limit) must follow {@link NameRule}, checked before the database is
     * reached; undoing (resume, --off) works on any stored name.
     */
    static void allowed(String name) {
        try {
            NameRule.queue(name);
        } catch (IllegalArgumentException e) {
            throw UserException.usage(e.getMessage());
        }
    }

    /**
     * Any valid name can be configured before its first job (a rate limit in place before the first burst); a name that
     * nothing names yet gets a note on stderr, since it may be a typo of one that does. Asked before the change, which
     * makes the name known; printed after it, so that a change refused (a missing privilege) says one thing only.
     */
    static Optional<String> noteIfNew(JobQueue queue, String name, boolean setting) throws SQLException {
        if (queue.isKnownQueue(name)) {
            return Optional.empty();
        }
        return Optional.of("steadfast: note: queue " + StoredText.line(name) + " has no jobs yet"
                + (setting
                        ? "; the setting applies when they come"
                        : " (known queues: "
                                + StoredText.line(
                                        String.join(", ", queue.stats().queues().keySet())) + ")"));
    }

    /** What pause and resume share: a queue changed, or said to be so already. */
    abstract static class Toggle extends DatabaseCommand {
        @Parameters(paramLabel = "QUEUE", description = "The queue.")
        String name;

        abstract boolean pause();

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (pause()) {
                allowed(name);
            }
            JobQueue queue = openQueueForChanges(lifecycle);
            Optional<String> note = noteIfNew(queue, name, pause());
            boolean changed = pause() ? queue.pause(name) : queue.resume(name);
            note.ifPresent(err()::println);
            queue.awaitWakeUpsSent(Duration.ofSeconds(1)); // a resume wakes idle workers on this host
            if (!changed) {
                out().println("queue " + StoredText.line(name) + (pause() ? " was paused already" : " was not paused"));
            } else {
                out().println(
                                pause()
                                        ? "paused queue " + StoredText.line(name)
                                                + ": workers start no job from it from their next claim on"
                                        : "resumed queue " + StoredText.line(name));
            }
            return ok();
        }
    }

    /** {@code queue pause Q}. */
    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Pause a queue: it keeps accepting jobs, workers start none of them (running jobs finish).")
    static final class Pause extends Toggle {
        @Override
        boolean pause() {
            return true;
        }
    }

    /** {@code queue resume Q}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused queue.")
    static final class Resume extends Toggle {
        @Override
        boolean pause() {
            return false;
        }
    }

    /** {@code queue limit Q --rate N/DURATION | --off}. */
    @Command(
            name = "limit",
            mixinStandardHelpOptions = true,
            description = "Limit how many jobs of a queue start per span of time, across all workers (or --off).")
    static final class Limit extends DatabaseCommand {
        @Parameters(paramLabel = "QUEUE", description = "The queue.")
        String name;

        @ArgGroup(multiplicity = "1")
        Choice choice;

        static final class Choice {
            @Option(
                    names = "--rate",
                    converter = RateConverter.class,
                    paramLabel = "N/DURATION",
                    description = "At most N jobs start in any span of DURATION (10/1s, 100/5m, 1000/h); retries count."
                            + " Workers learn of a change within a second; starts already made stay counted.")
            RateLimit rate;

            @Option(names = "--off", description = "Take the queue's rate limit away.")
            boolean off;
        }

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            if (!choice.off) {
                allowed(name);
            }
            JobQueue queue = openQueueForChanges(lifecycle);
            Optional<String> note = noteIfNew(queue, name, !choice.off);
            if (choice.off) {
                boolean removed = queue.removeRateLimit(name);
                note.ifPresent(err()::println);
                queue.awaitWakeUpsSent(Duration.ofSeconds(1));
                out().println("queue " + StoredText.line(name)
                        + (removed ? " has no rate limit any more" : " had no rate limit"));
                return ok();
            }
            boolean changed = queue.limitRate(name, choice.rate);
            note.ifPresent(err()::println);
            queue.awaitWakeUpsSent(Duration.ofSeconds(1));
            out().println(
                            changed
                                    ? "queue " + StoredText.line(name) + ": at most " + choice.rate.jobs()
                                            + " job(s) start per " + DurationConverter.format(choice.rate.per())
                                            + " across all workers"
                                    : "queue " + StoredText.line(name) + " had this rate limit already");
            return ok();
        }
    }

    /** {@code queue list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Every queue (with jobs, or configured before its first job): paused or not, and its jobs per state.")
    static final class ListQueues extends DatabaseCommand {
        @Option(
                names = "--json",
                description = "A JSON array of {name, paused, paused_at, rate_limit ({jobs, per, per_ms}"
                        + " or null), pending, scheduled, running, succeeded, failed, cancelled}.")
        boolean json;

        @Override
        int run(Lifecycle lifecycle) throws Exception {
            JobQueue queue = openQueue(lifecycle);
            QueueStats stats = queue.stats();
            Map<String, Instant> pausedAt = new TreeMap<>();
            for (QueueControl c : queue.queueControls()) {
                if (c.paused()) {
                    pausedAt.put(c.queue(), c.pausedAt());
                }
            }
            if (json) {
                List<Map<String, Object>> rows = stats.queues().entrySet().stream()
                        .map(e -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("name", e.getKey());
                            m.put("paused", stats.isPaused(e.getKey()));
                            m.put("paused_at", pausedAt.get(e.getKey()));
                            m.put(
                                    "rate_limit",
                                    RateConverter.json(stats.rateLimits().get(e.getKey())));
                            m.putAll(StatsCommand.counts(e.getValue()));
                            return m;
                        })
                        .toList();
                out().println(StoredText.json(rows));
                return ok();
            }
            String format = "%-24s %-7s %-11s %9s %9s %9s %9s %9s %9s%n";
            out().printf(
                            format,
                            "QUEUE",
                            "STATE",
                            "RATE LIMIT",
                            "PENDING",
                            "SCHEDULED",
                            "RUNNING",
                            "SUCCEEDED",
                            "FAILED",
                            "CANCELLED");
            stats.queues().forEach((name, c) -> {
                List<Object> cells = new ArrayList<>(List.of(
                        StoredText.line(name),
                        stats.isPaused(name) ? "paused" : "active",
                        stats.rateLimit(name).map(RateConverter::format).orElse("-")));
                cells.addAll(StatsCommand.shown(c));
                out().printf(format, cells.toArray());
            });
            return ok();
        }
    }
}
