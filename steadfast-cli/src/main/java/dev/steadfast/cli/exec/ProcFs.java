package dev.steadfast.cli.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What Linux's {@code /proc} says about processes: their session, group and start time, whether their environment
 * carries a given entry, and this process's own user and capabilities. Every read tolerates a process that has just
 * gone (it answers nothing for it).
 */
final class ProcFs {
    private static final Path PROC = Path.of("/proc");
    /** The unit of {@code /proc/PID/stat}'s start time: USER_HZ, 100 on every architecture Java runs on Linux. */
    static final int TICKS_PER_SECOND = 100;
    /** {@code CAP_KILL}: signalling processes of other users. */
    static final int CAP_KILL = 5;
    /** {@code CAP_SETGID}. */
    static final int CAP_SETGID = 6;
    /** {@code CAP_SETUID}. */
    static final int CAP_SETUID = 7;

    private ProcFs() {}

    /** Whether this system has a {@code /proc} of Linux's kind. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    /**
     * One line of {@code /proc/PID/stat}, the fields used here.
     *
     * @param state     R, S, D, Z (zombie: dead, waiting to be reaped) ...
     * @param startTime clock ticks after boot when it started
     */
    record Stat(long pid, char state, long ppid, long pgrp, long session, long startTime) {
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    /** The ids of every process now. */
    static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            // no /proc: no process is known
        }
        return pids;
    }

    static Optional<Stat> stat(long pid) {
        try {
            return Optional.of(parseStat(Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone meanwhile
        }
    }

    /** Parses a stat line; the command name in parentheses may hold blanks and parentheses, so fields count from its end. */
    static Stat parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        long pid = Long.parseLong(line.substring(0, open).trim());
        String[] f = line.substring(close + 2).trim().split(" ");
        // after the name: state(0) ppid(1) pgrp(2) session(3) tty(4) tpgid(5) flags(6) minflt(7) cminflt(8) majflt(9)
        // cmajflt(10) utime(11) stime(12) cutime(13) cstime(14) priority(15) nice(16) threads(17) itrealvalue(18)
        // starttime(19)
        return new Stat(
                pid,
                f[0].charAt(0),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[19]));
    }

    /** Whether the environment the process started with holds {@code entry} ({@code NAME=value}); false when unreadable. */
    static boolean environmentHolds(long pid, String entry) {
        byte[] wanted = (entry + '\0').getBytes(StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(PROC.resolve(pid + "/environ"))) {
            return holds(in.readAllBytes(), wanted);
        } catch (IOException | RuntimeException e) {
            return false; // gone, or another user's that this worker may not read
        }
    }

    private static boolean holds(byte[] environ, byte[] wanted) {
        // entries are NUL-terminated: compare at the start of each one
        for (int start = 0; start + wanted.length <= environ.length; ) {
            if (Arrays.equals(environ, start, start + wanted.length, wanted, 0, wanted.length)) {
                return true;
            }
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            start = end + 1;
        }
        return false;
    }

    /** Seconds since boot in ticks, as {@link Stat#startTime()} counts them; -1 when unknown. */
    static long uptimeTicks() {
        try {
            String uptime = Files.readString(PROC.resolve("uptime"), StandardCharsets.US_ASCII)
                    .trim()
                    .split("\\s+")[0];
            return (long) (Double.parseDouble(uptime) * TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This process's real user id, from {@code /proc/self/status}; -1 when unknown. */
    static long ownUid() {
        return statusField("Uid:").map(v -> Long.parseLong(v.split("\\s+")[0])).orElse(-1L);
    }

    /** Whether this process holds the effective capability {@code bit} ({@code CapEff} of {@code /proc/self/status}). */
    static boolean hasCapability(int bit) {
        return statusField("CapEff:")
                .map(v -> (Long.parseUnsignedLong(v.trim(), 16) & (1L << bit)) != 0)
                .orElse(false);
    }

    private static Optional<String> statusField(String name) {
        try {
            return Files.readAllLines(PROC.resolve("self/status"), StandardCharsets.US_ASCII).stream()
                    .filter(l -> l.startsWith(name))
                    .map(l -> l.substring(name.length()).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
