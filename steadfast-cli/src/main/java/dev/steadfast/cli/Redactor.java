package dev.steadfast.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text before it is logged or sent: known secret values (the database password,
 * webhook tokens, values of environment variables whose names say they are secret), the password part
 * of a URL, and {@code password=}/{@code token=}-style parameters. The incident's alert leaked the whole
 * process environment; nothing that passes through here can.
 */
public final class Redactor {
    public static final String MASK = "***";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(://[^/:@\\s]*):([^@/\\s]+)@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|secret|token|access_token|api[_-]?key|sign|signature)(\"?\\s*[=:]\\s*)(\"?)([^&\\s\"',;}]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    // secret-looking names, and SSH_CLIENT/SSH_CONNECTION: the incident's alert leaked the SSH client address
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)(.*(pass|secret|token|key|credential|auth).*|SSH_.*)");
    private static final int SHORTEST_SECRET = 4;

    private static final List<String> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile Redactor process;

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        List<String> sorted = new ArrayList<>(secrets);
        sorted.removeIf(s -> s == null || s.length() < SHORTEST_SECRET);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first: no partial leftovers
        this.secrets = List.copyOf(sorted);
    }

    /** Adds a secret this process learned (a password read from a file, a webhook URL) to {@link #process()}. */
    public static void registerSecret(String secret) {
        if (secret != null && secret.length() >= SHORTEST_SECRET) {
            REGISTERED.add(secret);
            process = null;
        }
    }

    /**
     * The redactor of this process, used by its logs, its error messages and its notifications: the
     * registered secrets, the values of secret-looking environment variables, and the patterns.
     */
    public static Redactor process() {
        Redactor current = process;
        if (current == null) {
            current = withEnvironment(REGISTERED);
            process = current;
        }
        return current;
    }

    /** Redacts the given values and the patterns. */
    public static Redactor of(List<String> secretValues) {
        return new Redactor(secretValues);
    }

    /** Also redacts the values of this process's environment variables whose names look secret. */
    public static Redactor withEnvironment(List<String> secretValues) {
        return withEnvironment(secretValues, System.getenv());
    }

    static Redactor withEnvironment(List<String> secretValues, Map<String, String> environment) {
        List<String> all = new ArrayList<>(secretValues);
        environment.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                all.add(value);
            }
        });
        return new Redactor(all);
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        result = URL_PASSWORD.matcher(result).replaceAll("$1:" + Matcher.quoteReplacement(MASK) + "@");
        result = SECRET_PARAMETER.matcher(result).replaceAll("$1$2$3" + Matcher.quoteReplacement(MASK));
        return BEARER.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /**
     * A URL fit to print: credentials and query parameters masked, and for webhook-style URLs (whose path
     * is the secret, as with Slack's) only the scheme and host.
     */
    public static String safeUrl(String url) {
        if (url == null) {
            return null;
        }
        String redacted = of(List.of()).redact(url);
        if (redacted.startsWith("http")) {
            Matcher host = Pattern.compile("^(https?://[^/?#]+).*").matcher(redacted);
            if (host.matches() && host.group(1).length() < redacted.length()) {
                return host.group(1) + "/" + MASK;
            }
        }
        return redacted;
    }
}
