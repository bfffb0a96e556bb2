package dev.steadfast.cli.exec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How job commands start: each in a session and process group of its own ({@code setsid}, from util-linux), so that
 * the worker can signal all of it and a terminal's Ctrl-C reaches the worker only; and, with {@code --exec-user}, as
 * that user ({@code setpriv --reuid --regid --init-groups}), checked once at the worker's start.
 */
final class CommandLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLauncher.class);
    private static final List<String> SYSTEM_BIN = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    private final List<String> prefix;
    private final ExecUser user;

    private CommandLauncher(List<String> prefix, ExecUser user) {
        this.prefix = List.copyOf(prefix);
        this.user = user;
    }

    /**
     * @param userName the user commands run as, or null for the worker's own
     * @throws IllegalArgumentException when commands cannot run as that user (one line saying why)
     */
    static CommandLauncher prepare(String userName, Map<String, String> workerEnvironment) {
        String path = workerEnvironment.getOrDefault("PATH", "");
        List<String> prefix = new ArrayList<>();
        Optional<Path> setsid = find("setsid", path);
        if (setsid.isPresent()) {
            prefix.add(setsid.get().toString());
        } else {
            LOG.warn(
                    "setsid (util-linux) is not installed: job commands share the worker's process group, and what they leave"
                            + " running is found by their environment's mark only");
        }
        if (userName == null) {
            return new CommandLauncher(prefix, null);
        }
        ExecUser user = ExecUser.lookUp(userName);
        long self = ProcFs.ownUid();
        if (user.uid() == self) {
            throw new IllegalArgumentException(
                    "--exec-user " + userName + " is the user running this worker: its commands would"
                            + " not be kept from its secrets; name another user (a dedicated one, like steadfast-jobs)");
        }
        if (!ProcFs.hasCapability(ProcFs.CAP_SETUID)
                || !ProcFs.hasCapability(ProcFs.CAP_SETGID)
                || !ProcFs.hasCapability(ProcFs.CAP_KILL)) {
            throw new IllegalArgumentException(
                    "--exec-user " + userName + ": this worker cannot run commands as another user (it"
                            + " needs root, or the capabilities CAP_SETUID, CAP_SETGID and CAP_KILL); start it as root or drop --exec-user");
        }
        Path setpriv = find("setpriv", path)
                .orElseThrow(() -> new IllegalArgumentException(
                        "--exec-user needs setpriv" + " (util-linux) on PATH or in /usr/bin: install util-linux"));
        List<String> switchUser =
                List.of(setpriv.toString(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups", "--");
        probe(userName, switchUser);
        prefix.addAll(switchUser);
        LOG.info("job commands run as user {} (uid {}, gid {})", user.name(), user.uid(), user.gid());
        return new CommandLauncher(prefix, user);
    }

    /** Lets the user commands run as write this file of the worker's (it keeps it owner-only). */
    void handOver(Path file) throws IOException {
        if (user != null) {
            Files.setAttribute(file, "unix:uid", (int) user.uid());
            Files.setAttribute(file, "unix:gid", (int) user.gid());
        }
    }

    /** Starts {@code true} as the user once, so that a switch that cannot work fails the start, not every job. */
    private static void probe(String userName, List<String> switchUser) {
        List<String> command = new ArrayList<>(switchUser);
        command.add(find("true", "").map(Path::toString).orElse("true"));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalArgumentException("--exec-user " + userName + ": setpriv did not answer within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalArgumentException("--exec-user " + userName + ": cannot start a command as that user: "
                        + err.lines().findFirst().orElse("setpriv ended with status " + process.exitValue()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--exec-user " + userName + ": cannot start setpriv: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking --exec-user", e);
        }
    }

    /** Whether commands run as a user of their own, not the worker's. */
    boolean switchesUser() {
        return user != null;
    }

    /** The words to start: the launcher's, then the command's. */
    List<String> words(List<String> command) {
        List<String> words = new ArrayList<>(prefix);
        words.addAll(command);
        return words;
    }

    /** What the environment says of the user: the user commands run as, not the worker's. */
    Map<String, String> userEnvironment() {
        if (user == null) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", user.home());
        env.put("USER", user.name());
        env.put("LOGNAME", user.name());
        return env;
    }

    /**
     * The program a command names, as the launcher will find it: a path as given, a bare name on {@code path}; empty
     * when there is none, so that a missing program fails the attempt with a plain "not found".
     */
    static Optional<Path> find(String program, String path) {
        if (program.contains("/")) {
            Path given = Path.of(program);
            return Files.isRegularFile(given) ? Optional.of(given) : Optional.empty();
        }
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        if (path.isEmpty()) {
            dirs.clear();
        }
        dirs.addAll(SYSTEM_BIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
