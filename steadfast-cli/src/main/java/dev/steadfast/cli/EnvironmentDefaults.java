package dev.steadfast.cli;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment, for the options on an explicit allow-list only, so that a variable means one
 * thing wherever it is read: {@code --http-port} from {@code STEADFAST_HTTP_PORT}. A flag given on the command line
 * wins; without either, the option's documented default applies.
 *
 * <p>What a process is configured with comes from the environment: where the database is and how to log (every
 * command), a worker's and a server's settings (every option of {@code work} and {@code serve}), and the producer
 * defaults that mean the same wherever they occur ({@code --max-attempts}). What names the object of one command
 * never does: a filter ({@code --queue}, {@code --type}, {@code --state} of listing commands), a bulk or destructive
 * flag ({@code --all}, {@code --yes}), a job's type, queue or payload. So {@code STEADFAST_QUEUE}, the worker's
 * queue list ({@code mail:3,default:1}), is read by {@code work} alone: it never becomes the queue {@code enqueue}
 * writes to nor a filter of {@code failed list}.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    /** Where the database is and how to log: the same meaning in every command. */
    private static final Set<String> EVERY_COMMAND = Set.of(
            "--url",
            "--user",
            "--password-file",
            "--connect-timeout",
            "--home",
            "--log-json",
            "--debug",
            "--log-level");
    /** Long-running processes: each of their options is a setting of the process. */
    private static final Set<String> SETTINGS_COMMANDS = Set.of("steadfast work", "steadfast serve");
    /** Further options, by command, whose variable has one meaning wherever it is read. */
    private static final Map<String, Set<String>> ALSO = Map.of(
            "steadfast doctor", Set.of("--lease"), // the workers' lease, as work reads it
            "steadfast enqueue", Set.of("--max-attempts", "--max-payload"),
            "steadfast schedule add", Set.of("--max-attempts"));

    private final Map<String, String> environment;
    /** The values this provider gave, by option: a mistake in one is reported under its variable, not its flag. */
    private final Map<ArgSpec, String> supplied = Collections.synchronizedMap(new IdentityHashMap<>());

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The variable an option reads: {@code STEADFAST_} and its long name in upper case, dashes as underscores. */
    public static String variable(OptionSpec option) {
        return "STEADFAST_"
                + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The variable an option takes its default from, or empty when it comes from the command line only. */
    public static Optional<String> variableOf(OptionSpec option) {
        return fromEnvironment(option) ? Optional.of(variable(option)) : Optional.empty();
    }

    private static boolean fromEnvironment(OptionSpec option) {
        if (option.usageHelp() || option.versionHelp()) {
            return false;
        }
        String name = option.longestName();
        if (EVERY_COMMAND.contains(name)) {
            return true;
        }
        String command = option.command() == null ? "" : option.command().qualifiedName();
        return SETTINGS_COMMANDS.contains(command)
                || ALSO.getOrDefault(command, Set.of()).contains(name);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || !fromEnvironment(option)) {
            return null;
        }
        String value = environment.get(variable(option));
        if (value == null || value.isBlank()) {
            return null;
        }
        if (option.type() == boolean.class || option.type() == Boolean.class) {
            // STEADFAST_LOG_JSON=1 as well as =true; anything else reaches picocli, which names the option it is for
            String flag = value.trim().toLowerCase(Locale.ROOT);
            value = flag.matches("1|yes|on|true") ? "true" : flag.matches("0|no|off|false") ? "false" : value;
        }
        supplied.put(option, value);
        return value;
    }

    /**
     * The variable that gave this option this value, or empty when the value was typed: picocli asks for defaults only
     * for the options the command line leaves out, so a value refused for an option this provider supplied came from here.
     */
    public Optional<String> supplier(ArgSpec argSpec, String value) {
        String given = supplied.get(argSpec);
        return argSpec instanceof OptionSpec option && given != null && given.equals(value)
                ? Optional.of(variable(option))
                : Optional.empty();
    }
}
