package dev.steadfast.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.steadfast.queue.JobContext;
import dev.steadfast.queue.JobOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command handler running real processes: what a command leaves behind, its time running out, another user. */
class ExecHandlerTest {
    private final Map<Long, JobOutput> outputs = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @Test
    void whatACommandLeavesRunningIsKilledWhenItEndsAndHoldsNoOutputOpen() throws Exception {
        Path pids = dir.resolve("pids");
        // a new session, an orphan in the command's session, and an orphan of a new session that holds no pipe
        ExecHandler handler = handler(
                null,
                "sh",
                "-c",
                "setsid sleep 3101 & echo $! > " + pids
                        + "; (sleep 3102 & echo $! >> " + pids + ")"
                        + "; (setsid sleep 3103 > /dev/null 2>&1 < /dev/null & echo $! >> " + pids + ")"
                        + "; echo done");

        handler.handle(context(1), JsonNodeFactory.instance.objectNode());

        List<Long> started =
                Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(started).hasSize(3);
        assertThat(started).as("killed before the attempt ended").noneMatch(ExecHandlerTest::running);
        assertThat(outputs.get(1L).stdout())
                .as("the pipes closed with the leftovers")
                .isEqualTo("done\n");
        assertThat(outputs.get(1L).exitStatus()).isZero();
    }

    @Test
    void whenTheTimeIsUpTheCommandAndEverythingItStartedAreKilled() throws Exception {
        Path pids = dir.resolve("pids");
        ExecHandler handler = handler(
                null,
                "sh",
                "-c",
                "(setsid sleep 3104 & echo $! > " + pids + ".tmp)" + "; (sleep 3105 & echo $! >> " + pids + ".tmp); mv "
                        + pids + ".tmp " + pids + "; exec sleep 3106");
        AtomicReference<Thread> runner = new AtomicReference<>();
        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            runner.set(Thread.currentThread());
            try {
                handler.handle(context(2), JsonNodeFactory.instance.objectNode());
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pids));
        List<Long> orphans =
                Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(orphans).hasSize(2).allMatch(ExecHandlerTest::running);
        runner.get().interrupt(); // what the worker does when the attempt's time is up
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        assertThat(orphans).noneMatch(ExecHandlerTest::running);
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .noneMatch(c -> c.matches(".*sleep 310[456].*"));
        assertThat(outputs.get(2L).exitStatus()).as("stopped before it ended").isNull();
    }

    @Test
    void commandsRunAsAnotherUserReadNeitherTheWorkersEnvironmentNorItsFiles() throws Exception {
        assumeThat(ProcFs.ownUid()).as("switching users needs root").isZero();
        Path secret = Files.writeString(dir.resolve("credentials"), "top-secret-42");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ExecHandler handler = handler(
                "nobody",
                "sh",
                "-c",
                "id -u; echo HOME=$HOME; tr '\\0' '\\n' < /proc/$PPID/environ;" + " cat " + secret
                        + "; (setsid sleep 3107 &); echo end");

        handler.handle(context(3), JsonNodeFactory.instance.objectNode());

        JobOutput output = outputs.get(3L);
        assertThat(output.stdout())
                .startsWith("65534\nHOME=/nonexistent\n")
                .endsWith("end\n")
                .doesNotContain("top-secret-42")
                .doesNotContain("PATH=");
        assertThat(output.stderr())
                .contains("/proc/")
                .contains("Permission denied")
                .contains(secret.toString());
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
                .as("another user's leftovers are killed too")
                .noneMatch(c -> c.matches(".*sleep 3107.*"));

        assertThatThrownBy(() -> CommandLauncher.prepare("root", System.getenv()))
                .hasMessageContaining("is the user running this worker");
        assertThatThrownBy(() -> CommandLauncher.prepare("no-such-user-sf", System.getenv()))
                .hasMessageContaining("no such user");
    }

    private ExecHandler handler(String user, String... command) {
        return new ExecHandler(
                new ExecSpec("t", List.of(command), null),
                ChildEnvironment.of(System.getenv(), List.of()),
                CommandLauncher.prepare(user, System.getenv()),
                (jobId, output) -> outputs.put(jobId, output));
    }

    private static JobContext context(long jobId) {
        return new JobContext(jobId, "default", "t", 1, 1, "w1");
    }

    /** Alive: in /proc and not a zombie (a killed orphan may wait for an init that does not reap). */
    static boolean running(long pid) {
        return ProcFs.stat(pid).map(s -> !s.zombie()).orElse(false);
    }
}
