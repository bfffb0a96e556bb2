package dev.steadfast.cli.exec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every process of one job's command, found when it is signalled: its descendants, the members of the session and
 * process group it leads (the command starts through {@code setsid}), and any process whose environment carries the
 * attempt's mark ({@link #MARK_VARIABLE}), which finds those that left the session ({@code setsid sleep 300 &}) and were
 * orphaned (their parent's end makes them children of init, out of any tree). Only processes started after the command
 * are looked at. What escapes: a process that leaves the session and clears or replaces its environment
 * ({@code setsid env -i ...}); only a cgroup (systemd's {@code KillMode=control-group}, a container's end) catches it.
 */
final class CommandProcesses {
    /** The variable whose value marks a command's processes, unique to each attempt. */
    static final String MARK_VARIABLE = "STEADFAST_JOB_RUN_MARK";
    /** The start time a process may report before the moment it was started (tick rounding of the uptime). */
    private static final long SLACK_TICKS = ProcFs.TICKS_PER_SECOND;

    private static final int KILL_ROUNDS = 20;

    private final Process command;
    private final String markEntry;
    private final long notBeforeTicks;

    private CommandProcesses(Process command, String mark, long notBeforeTicks) {
        this.command = command;
        this.markEntry = MARK_VARIABLE + "=" + mark;
        this.notBeforeTicks = notBeforeTicks;
    }

    /** The moment to pass to {@link #of} for a command about to start, in the kernel's ticks. */
    static long now() {
        long uptime = ProcFs.uptimeTicks();
        return uptime < 0 ? 0 : Math.max(0, uptime - SLACK_TICKS);
    }

    /**
     * @param mark           the value of {@link #MARK_VARIABLE} in the command's environment
     * @param notBeforeTicks {@link #now()} before the command started
     */
    static CommandProcesses of(Process command, String mark, long notBeforeTicks) {
        return new CommandProcesses(command, mark, notBeforeTicks);
    }

    /** SIGTERM to the command and every process of it, children first. */
    void terminate() {
        members().forEach(ProcessHandle::destroy);
    }

    /**
     * SIGKILL to the command and every process of it, again until none is left (a process may fork while its tree
     * is killed), a bounded number of rounds.
     *
     * @return how many processes were killed, the command itself not counted
     */
    int kill() {
        Set<Long> killed = new HashSet<>();
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<ProcessHandle> alive = members();
            if (alive.isEmpty()) {
                break;
            }
            for (ProcessHandle process : alive) {
                if (process.destroyForcibly() && process.pid() != command.pid()) {
                    killed.add(process.pid());
                }
            }
            if (round > 0) {
                try {
                    Thread.sleep(10); // processes that ignore nothing still take a moment to go
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return killed.size();
    }

    /** The processes now alive (not zombies), descendants before their ancestors; the command last, while it runs. */
    List<ProcessHandle> members() {
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        List<ProcessHandle> descendants = new ArrayList<>(command.descendants().toList());
        Collections.reverse(descendants);
        descendants.forEach(p -> found.put(p.pid(), p));
        if (ProcFs.available()) {
            long self = ProcessHandle.current().pid();
            for (long pid : ProcFs.pids()) {
                if (pid == self || pid == command.pid() || found.containsKey(pid)) {
                    continue;
                }
                ProcFs.stat(pid)
                        .filter(s -> !s.zombie() && s.startTime() >= notBeforeTicks)
                        .filter(this::belongs)
                        .flatMap(s -> ProcessHandle.of(pid))
                        .ifPresent(p -> found.put(pid, p));
            }
            found.values()
                    .removeIf(p -> ProcFs.stat(p.pid()).map(ProcFs.Stat::zombie).orElse(true));
        }
        if (command.isAlive()) {
            found.put(command.pid(), command.toHandle());
        }
        return new ArrayList<>(found.values());
    }

    /**
     * A session or group id is the id of the process that made it, and the kernel hands out no id still in use as
     * one: so a match with the command's pid is the command's own session or group, never another's.
     */
    private boolean belongs(ProcFs.Stat stat) {
        return stat.session() == command.pid()
                || stat.pgrp() == command.pid()
                || ProcFs.environmentHolds(stat.pid(), markEntry);
    }

    /** {@code exit status 3}, or {@code killed by signal 9 (exit status 137)} for the JVM's 128+signal. */
    static String describe(int status) {
        return status > 128 && status < 160
                ? "killed by signal " + (status - 128) + " (exit status " + status + ")"
                : "exit status " + status;
    }
}
