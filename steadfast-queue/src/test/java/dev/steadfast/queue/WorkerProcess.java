package dev.steadfast.queue;

import dev.steadfast.testkit.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link WorkerProcessMain} in a JVM of its own, so that it can be SIGKILLed. */
final class WorkerProcess implements AutoCloseable {
    private final Process process;

    private WorkerProcess(Process process) {
        this.process = process;
    }

    static WorkerProcess start(
            TestDatabase server, String url, String queue, int leaseSeconds, int concurrency, Path log)
            throws IOException {
        return start(server, url, queue, leaseSeconds, concurrency, 200, log);
    }

    /** A worker whose idle polls back off up to {@code maxPollMillis}. */
    static WorkerProcess start(
            TestDatabase server,
            String url,
            String queue,
            int leaseSeconds,
            int concurrency,
            long maxPollMillis,
            Path log)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        WorkerProcessMain.class.getName(),
                        url,
                        server.user(),
                        server.password(),
                        queue,
                        Integer.toString(leaseSeconds),
                        Integer.toString(concurrency),
                        Long.toString(maxPollMillis)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new WorkerProcess(process);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, as supervisor or systemd send it; waits for the process to exit and returns its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker did not exit within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hooks, no lease release. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    static File logFile(String name) {
        return new File("target", name + ".log");
    }
}
