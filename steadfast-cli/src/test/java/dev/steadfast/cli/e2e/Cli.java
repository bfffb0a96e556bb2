package dev.steadfast.cli.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code steadfast.jar} as a subprocess, in a working directory of the test's choosing. */
final class Cli {
    static final Path JAR =
            Path.of(System.getProperty("steadfast.jar", "target/steadfast.jar")).toAbsolutePath();

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private String heap = "256m";
    private Path jar = JAR;

    Cli(Path workDir) {
        this.workDir = workDir;
    }

    /** Runs {@code steadfast-slim.jar}, the command without MariaDB's server binaries, instead. */
    Cli slim() {
        this.jar = Path.of(System.getProperty("steadfast.slim.jar", "target/steadfast-slim.jar"))
                .toAbsolutePath();
        return this;
    }

    /** The subprocess's maximum heap ({@code -Xmx}), 256m unless set. */
    Cli heap(String size) {
        this.heap = size;
        return this;
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The outcome of one run. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    Result run(String... args) {
        return run(Duration.ofMinutes(3), args);
    }

    Result run(Duration timeout, String... args) {
        Running running = start(args);
        return running.await(timeout);
    }

    /** Runs with {@code input} on standard input. */
    Result runWithInput(String input, String... args) {
        Running running = start(args);
        try (OutputStream stdin = running.process().getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return running.await(Duration.ofMinutes(3));
    }

    /** Starts a run without waiting for it (a worker daemon). */
    Running start(String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap, "-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "out-", ".txt");
            Path err = Files.createTempFile(workDir, "err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("STEADFAST_"));
            builder.environment().putAll(env);
            return new Running(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A started run. */
    static final class Running {
        private final Process process;
        private final Path out;
        private final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        Process process() {
            return process;
        }

        String err() {
            return read(err);
        }

        String out() {
            return read(out);
        }

        /** SIGTERM, as supervisor, systemd and Kubernetes send it. */
        void terminate() {
            process.destroy();
        }

        Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(
                            "steadfast did not finish within " + timeout + "\n" + new Result(-1, out(), err()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new Result(process.exitValue(), out(), err());
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
