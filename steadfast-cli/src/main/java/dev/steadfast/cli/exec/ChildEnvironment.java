package dev.steadfast.cli.exec;

import dev.steadfast.queue.JobContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a job's command sees of the worker's environment: an explicit allow-list, never the whole of it. The basics a
 * program needs (PATH, HOME, locale, time zone, TMPDIR), the variables named with {@code --exec-env}, and the job's own
 * facts; never the worker's secrets ({@code STEADFAST_PASSWORD}, tokens, webhook URLs): no {@code STEADFAST_*}
 * variable of the worker is passed, whatever is asked.
 */
final class ChildEnvironment {
    private static final Set<String> BASICS =
            Set.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR", "USER", "LOGNAME");

    private final Map<String, String> passed;

    private ChildEnvironment(Map<String, String> passed) {
        this.passed = Map.copyOf(passed);
    }

    /**
     * @param allowed names of further variables to pass on (the application's own settings)
     * @throws IllegalArgumentException for a name of the worker's own ({@code STEADFAST_*}) or not a variable name
     */
    static ChildEnvironment of(Map<String, String> worker, List<String> allowed) {
        Map<String, String> passed = new LinkedHashMap<>();
        for (String name : BASICS) {
            if (worker.containsKey(name)) {
                passed.put(name, worker.get(name));
            }
        }
        for (String name : allowed) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
                throw new IllegalArgumentException("--exec-env takes a variable name, got '" + name + "'");
            }
            if (name.toUpperCase(Locale.ROOT).startsWith("STEADFAST_")) {
                throw new IllegalArgumentException("--exec-env " + name
                        + ": the worker's own settings and secrets are never passed to" + " job commands");
            }
            if (worker.containsKey(name)) {
                passed.put(name, worker.get(name));
            }
        }
        return new ChildEnvironment(passed);
    }

    /** The environment of one job's command: the passed variables and the job's facts. */
    Map<String, String> forJob(JobContext context) {
        Map<String, String> env = new LinkedHashMap<>(passed);
        env.put("STEADFAST_JOB_ID", Long.toString(context.jobId()));
        env.put("STEADFAST_JOB_ATTEMPT", Integer.toString(context.attempt()));
        env.put("STEADFAST_JOB_MAX_ATTEMPTS", Integer.toString(context.maxAttempts()));
        env.put("STEADFAST_JOB_QUEUE", context.queue());
        env.put("STEADFAST_JOB_TYPE", context.type());
        return env;
    }
}
