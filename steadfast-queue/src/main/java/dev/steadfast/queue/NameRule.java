package dev.steadfast.queue;

import dev.steadfast.queue.text.ControlCharacters;

/**
 * The names queues, job types and schedules may have: 1 to {@value #MAX_QUEUE} (queues) or {@value #MAX_TYPE}
 * (types, schedules) characters, each a letter or a digit (of any script) or one of {@code . _ - /}. So no
 * whitespace, no control characters (a name is printed in lists, logs and metric labels), no {@code ,} or {@code :}
 * (the command line separates queues and their weights with them: {@code --queue mail:3,default:1}). The lengths
 * are the schema's column sizes.
 *
 * <p>Names are checked where they enter: {@link JobRequest} (so {@link JobType}, the command line and the HTTP API),
 * {@link Schedule}, a worker's queues and handlers, and queue control ({@code pause}, {@code resume},
 * {@code limitRate}). Lookups are not checked: jobs and schedules stored under names written before this rule can
 * still be listed, shown, retried and deleted.
 */
public final class NameRule {
    /** The allowed characters, as the error messages say them. */
    public static final String ALLOWED = "letters, digits and . _ - /";
    /** The longest queue name ({@code sf_job.queue}). */
    public static final int MAX_QUEUE = 64;
    /** The longest job type ({@code sf_job.type}). */
    public static final int MAX_TYPE = 128;
    /** The longest schedule name ({@code sf_schedule.name}). */
    public static final int MAX_SCHEDULE = 128;

    private static final int SHOWN = 80;

    private NameRule() {}

    /** {@code name} when it can name a queue; otherwise an {@link IllegalArgumentException} that says the rule. */
    public static String queue(String name) {
        return check(name, MAX_QUEUE, "a queue name");
    }

    /** {@code name} when it can name a job type; otherwise an {@link IllegalArgumentException} that says the rule. */
    public static String type(String name) {
        return check(name, MAX_TYPE, "a job type");
    }

    /** {@code name} when it can name a schedule; otherwise an {@link IllegalArgumentException} that says the rule. */
    public static String schedule(String name) {
        return check(name, MAX_SCHEDULE, "a schedule name");
    }

    /** Whether {@code name} has 1 to {@code maxLength} characters, all allowed. */
    public static boolean allows(String name, int maxLength) {
        if (name == null || name.isEmpty() || name.length() > maxLength) {
            return false;
        }
        return name.codePoints()
                .allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '/');
    }

    private static String check(String name, int maxLength, String what) {
        if (allows(name, maxLength)) {
            return name;
        }
        // the refused name as it can be printed: on one line, its control characters visible, a long one cut
        String shown = name == null
                ? "null"
                : "'" + ControlCharacters.oneLine(name.length() > SHOWN ? name.substring(0, SHOWN) + "..." : name)
                        + "'";
        throw new IllegalArgumentException(
                what + " of 1 to " + maxLength + " characters (" + ALLOWED + ") is required, got " + shown);
    }
}
