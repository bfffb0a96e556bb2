package dev.steadfast.queue.text;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text before it is logged, shown or sent: known secret values (the database
 * password, the dashboard token, webhook URLs, secrets found in a JDBC URL, values of environment
 * variables whose names say they are secret), the password part of a URL, {@code password=}-style
 * parameters (also inside longer names: {@code db_password}, {@code client_secret},
 * {@code trustStorePassword}) and {@code Authorization} headers. The incident's alert leaked the whole
 * process environment; nothing that passes through here can.
 *
 * <p>There is one redactor per process ({@link #process()}); logs, JSON logs, error lines, {@code --debug}
 * stack traces, notifications, every dashboard page and what the command prints of stored jobs go through it. The
 * command and the Spring Boot starter register the secrets they learn.
 */
public final class Redactor {
    public static final String MASK = "***";
    // Every pattern starts only where a word starts and bounds its repetitions: text of any size (a 12 MB
    // payload) is redacted in linear time, never by backtracking over the whole of it at every position.
    // userinfo runs to the last '@' of the token: passwords may hold '@', '/' or ':'
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}://[^/:@\\s]{0,256}):(\\S{1,512}?)@(?=[^@\\s]*(\\s|$))");
    // (a name after '/' is a file's, as in "cat: /srv/credentials: Permission denied"; the shell's PWD and OLDPWD hold
    // a
    // directory, not a password)
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)(?<![A-Za-z0-9_./-])(?!(?-i:(?:OLD)?PWD=/))([A-Za-z0-9_.-]{0,64}"
                    + "(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|signature)"
                    + "[A-Za-z0-9_.-]{0,64})(\"?\\s*[=:]\\s*)(\"?)([^&\\s\"',;}]+)");
    // short names that are secrets only as URL parameters (WeCom's ?key=, DingTalk's &sign=)
    private static final Pattern QUERY_SECRET = Pattern.compile("(?i)([?&](?:key|sig|sign|code)=)[^&\\s\"']+");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)((?:proxy-)?authorization\"?\\s*[:=]\\s*\"?(?:basic|bearer|digest|token|negotiate)?\\s*)[^\\s\"',;}]+");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    // secret-looking names, and SSH_CLIENT/SSH_CONNECTION: the incident's alert leaked the SSH client address
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i)(.*(pass|secret|token|key|credential|auth).*|SSH_.*)");
    // password=, trustStorePassword=, and MySQL Connector/J's multi-factor password1= to password3=
    private static final Pattern JDBC_QUERY_SECRET =
            Pattern.compile("(?i)[?&;]([A-Za-z]*(?:password|secret|token)[A-Za-z0-9]*)=([^&;]+)");
    // Connector/J's key-value hosts: address=(host=db)(password=...) and (host=db,password=...)
    private static final Pattern JDBC_HOST_SECRET = Pattern.compile(
            "(?i)[(,]\\s*([A-Za-z]*(?:password|secret|token)[A-Za-z0-9]*)\\s*=\\s*([^),\\s](?:[^),]*[^),\\s])?)");
    private static final int SHORTEST_SECRET = 4;

    private static final List<String> REGISTERED = new CopyOnWriteArrayList<>();
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
     * Registers the secrets a database URL carries (the password of its user-info part, and the values of
     * {@code password=}, {@code trustStorePassword=}... parameters), so that a driver echoing them in a
     * mangled form (an "Incorrect port value" error) still cannot show them.
     */
    public static void registerUrlSecrets(String url) {
        for (String secret : urlSecrets(url)) {
            registerSecret(secret);
        }
    }

    /** The secrets a JDBC or HTTP URL carries: its password, and secret-named query parameters' values. */
    public static List<String> urlSecrets(String url) {
        List<String> found = new ArrayList<>();
        if (url == null) {
            return found;
        }
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int hostEnd = url.length();
            for (char c : new char[] {'?', ' '}) {
                int at = url.indexOf(c, scheme + 3);
                if (at >= 0) {
                    hostEnd = Math.min(hostEnd, at);
                }
            }
            String authority = url.substring(scheme + 3, hostEnd);
            int at = authority.lastIndexOf('@');
            int colon = authority.indexOf(':');
            if (at > 0 && colon >= 0 && colon < at) {
                String password = authority.substring(colon + 1, at);
                found.add(password);
                found.add(URLDecoder.decode(password, StandardCharsets.UTF_8));
            }
        }
        for (Pattern parameter : List.of(JDBC_QUERY_SECRET, JDBC_HOST_SECRET)) {
            Matcher m = parameter.matcher(url);
            while (m.find()) {
                found.add(m.group(2));
                found.add(URLDecoder.decode(m.group(2), StandardCharsets.UTF_8));
            }
        }
        return found;
    }

    /**
     * The redactor of this process, used by its logs, its error messages, its notifications and its pages:
     * the registered secrets, the values of secret-looking environment variables, and the patterns.
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
        result = AUTHORIZATION.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        result = SECRET_PARAMETER
                .matcher(result)
                .replaceAll(m -> m.group(4).equals(MASK)
                        ? Matcher.quoteReplacement(m.group())
                        : Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(3) + MASK));
        result = QUERY_SECRET.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return BEARER.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /** A throwable with its causes and stack, as {@code printStackTrace} writes it, redacted. */
    public String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return redact(text.toString());
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
