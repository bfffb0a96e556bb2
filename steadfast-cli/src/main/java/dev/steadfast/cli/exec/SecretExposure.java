package dev.steadfast.cli.exec;

import dev.steadfast.queue.text.Redactor;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The worker's secrets that its job commands could read: a command running as the worker's user can read the worker's
 * environment ({@code /proc/PPID/environ}) whatever the allow-list passes it. Only names are ever reported, never values.
 */
final class SecretExposure {
    private static final Pattern SECRET_NAME = Pattern.compile("STEADFAST_.*(PASS|SECRET|TOKEN|KEY|CREDENTIAL|AUTH).*");

    private SecretExposure() {}

    /** The names of the worker's variables holding a secret: passwords, tokens, a webhook URL, a URL with a password. */
    static List<String> secretVariables(Map<String, String> worker) {
        return worker.entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .filter(e -> isSecret(e.getKey(), e.getValue()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /**
     * The warning for these variables' names. No name is followed by ':' or '=': the redactor would take the next word
     * for its value ("STEADFAST_PASSWORD: give" would print as "STEADFAST_PASSWORD: ***").
     */
    static String warning(List<String> secretNames) {
        return "job commands run as this worker's user and can read its environment (/proc/PID/environ), which holds secrets ("
                + String.join(", ", secretNames) + "); give secrets in files instead (--password-file, --token-file,"
                + " --notify-config), and run commands as another user with --exec-user";
    }

    private static boolean isSecret(String name, String value) {
        if (name.endsWith("_FILE") || name.startsWith("STEADFAST_JOB_")) {
            return false; // a path to a secret, or a job's fact
        }
        return SECRET_NAME.matcher(name).matches()
                || name.equals("STEADFAST_WEBHOOK_URL")
                || name.equals("STEADFAST_URL") && !Redactor.urlSecrets(value).isEmpty();
    }
}
