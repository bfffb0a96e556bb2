package dev.steadfast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Locale;
import java.util.Map;

/**
 * Every option's default from the environment: {@code --max-attempts} from {@code STEADFAST_MAX_ATTEMPTS},
 * {@code --http-port} from {@code STEADFAST_HTTP_PORT}. A flag given on the command line wins; without either,
 * the option's documented default applies. Help, version and confirmation flags are never taken from the
 * environment (a stray {@code STEADFAST_YES} must not confirm deletions).
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private static final java.util.Set<String> NEVER = java.util.Set.of("help", "version", "yes");

    private final Map<String, String> environment;

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The variable an option reads: {@code STEADFAST_} and its long name in upper case, dashes as underscores. */
    public static String variable(OptionSpec option) {
        return "STEADFAST_" + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option) || NEVER.contains(option.longestName().replaceFirst("^-+", ""))) {
            return null;
        }
        String value = environment.get(variable(option));
        if (value == null || value.isBlank()) {
            return null;
        }
        if (option.type() == boolean.class || option.type() == Boolean.class) {
            // STEADFAST_LOG_JSON=1 as well as =true; anything else reaches picocli, which names the option it is for
            String flag = value.trim().toLowerCase(Locale.ROOT);
            return flag.matches("1|yes|on|true") ? "true" : flag.matches("0|no|off|false") ? "false" : value;
        }
        return value;
    }
}
