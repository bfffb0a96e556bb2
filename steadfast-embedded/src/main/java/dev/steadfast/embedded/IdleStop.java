package dev.steadfast.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The watchdog of a kept embedded server: a small process of its own, started with the server, that stops it once
 * no steadfast process has used it for the idle time kept in {@code idle-stop} (1 hour unless set by
 * {@code steadfast db start --idle-stop}; 0 keeps it up until {@code db stop}). A process using the server is
 * registered under {@code clients/} while it runs (a worker, the dashboard: the server is never stopped under
 * them); each arrival and departure counts as a use. The watchdog ends with its server, however that ends.
 * If it dies, the server merely stays up until {@code db stop}.
 */
public final class IdleStop {
    static final String SETTING = "idle-stop";
    /** How long an unused server stays up unless {@code idle-stop} says otherwise. */
    public static final Duration DEFAULT = Duration.ofHours(1);

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private IdleStop() {}

    /** The idle time of {@code dir}'s server: {@link Duration#ZERO} for never. */
    static Duration idleTime(Path dir) {
        try {
            return Duration.ofSeconds(
                    Long.parseLong(Files.readString(dir.resolve(SETTING)).trim()));
        } catch (IOException | NumberFormatException e) {
            return DEFAULT;
        }
    }

    static void keepIdleTime(Path dir, Duration idle) throws IOException {
        Files.writeString(dir.resolve(SETTING), Long.toString(idle.toSeconds()));
    }

    /** Starts the watchdog of the server {@code serverPid} of {@code dir}, in a session of its own. */
    static void launch(Path dir, long serverPid) throws IOException {
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return; // the server then stays up until 'db stop'
        }
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> command.add(setsid.toString()));
        command.addAll(List.of(
                java.get(),
                "-Xmx16m",
                "-Xss256k",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                IdleStop.class.getName(),
                dir.toString(),
                Long.toString(serverPid)));
        Path log = dir.resolve("run").resolve("idle-stop.log");
        new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** {@code IdleStop HOME SERVER_PID}: watches until the server stops, stopping it when idle. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long serverPid = Long.parseLong(args[1]);
        EmbeddedHome home = new EmbeddedHome(dir);
        Instant lastUse = Instant.now();
        while (true) {
            Duration idle = idleTime(dir);
            Thread.sleep(pollEvery(idle).toMillis());
            Instant now = Instant.now();
            Instant used = lastUse;
            Outcome outcome = home.locked(() -> SharedEmbeddedServer.stopIfIdle(dir, serverPid, idle, used, now));
            if (outcome == Outcome.GONE || outcome == Outcome.STOPPED) {
                if (outcome == Outcome.STOPPED) {
                    System.out.println(now + " stopped the embedded MariaDB (pid " + serverPid + "): unused for "
                            + idle.toSeconds() + " s");
                }
                return;
            }
            if (outcome == Outcome.IN_USE) {
                lastUse = now;
            }
        }
    }

    private static Duration pollEvery(Duration idle) {
        if (idle.isZero()) {
            return Duration.ofSeconds(30); // never stops it, but still ends with the server
        }
        Duration quarter = idle.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(30)) > 0
                ? Duration.ofSeconds(30)
                : quarter.compareTo(Duration.ofMillis(250)) < 0 ? Duration.ofMillis(250) : quarter;
    }

    /** What one look at the server found. */
    enum Outcome {
        /** the server is gone, or another one runs now (with a watchdog of its own) */
        GONE,
        /** a steadfast process uses it */
        IN_USE,
        /** unused, not for long enough yet */
        WAITING,
        /** unused for the idle time: stopped */
        STOPPED
    }
}
