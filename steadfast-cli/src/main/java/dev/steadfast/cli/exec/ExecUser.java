package dev.steadfast.cli.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The user job commands run as ({@code --exec-user}), as the system's user database knows it ({@code getent passwd},
 * so users from LDAP or other NSS sources count too).
 *
 * @param name its name
 * @param uid  its user id
 * @param gid  its primary group
 * @param home its home directory (the commands' {@code HOME})
 */
record ExecUser(String name, long uid, long gid, String home) {

    /** @throws IllegalArgumentException when no such user exists */
    static ExecUser lookUp(String name) {
        if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\$?")) {
            throw new IllegalArgumentException("--exec-user takes a user name or id, got '" + name + "'");
        }
        String line = run("getent", "passwd", name);
        if (line == null) {
            throw new IllegalArgumentException(
                    "--exec-user " + name + ": no such user on this machine (getent passwd " + name + " finds none)");
        }
        return parse(line);
    }

    /** Reads a passwd line: {@code name:x:uid:gid:gecos:home:shell}. */
    static ExecUser parse(String passwdLine) {
        String[] f = passwdLine.strip().split(":", -1);
        if (f.length < 7) {
            throw new IllegalArgumentException("unexpected passwd entry: " + passwdLine);
        }
        return new ExecUser(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5]);
    }

    /** The first line a program printed when it ended with 0, else null. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 && !out.isBlank()
                    ? out.lines().findFirst().orElse(null)
                    : null;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--exec-user needs " + command[0] + " to look users up: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up a user", e);
        }
    }
}
