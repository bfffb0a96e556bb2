package dev.steadfast.cli;

import java.util.List;
import java.util.Locale;

/**
 * {@code --log-json} and {@code --log-level} (or {@code STEADFAST_LOG_JSON}, {@code STEADFAST_LOG_LEVEL}): read from
 * the raw arguments before picocli runs, because logging is configured once, before the first logger exists.
 */
final class LogSettings {
    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

    private LogSettings() {}

    /**
     * Applies the settings to the logging configuration about to be loaded.
     *
     * @return an error message for a level that does not exist, or null
     */
    static String apply(String[] args) {
        boolean json = isTrue(System.getenv("STEADFAST_LOG_JSON"));
        String level = System.getenv("STEADFAST_LOG_LEVEL");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--log-json")) {
                json = true;
            } else if (args[i].equals("--log-level") && i + 1 < args.length) {
                level = args[i + 1];
            } else if (args[i].startsWith("--log-level=")) {
                level = args[i].substring("--log-level=".length());
            }
        }
        // named so that Logback never finds it on its own: an application with this jar on its class path (to mount
        // the dashboard) keeps its own logging
        System.setProperty("logback.configurationFile", json ? "steadfast-logback-json.xml" : "steadfast-logback.xml");
        if (level == null || level.isBlank()) {
            return null;
        }
        String normalised = level.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(normalised)) {
            return "--log-level must be one of " + String.join(", ", LEVELS) + ", got '" + level + "'";
        }
        System.setProperty("steadfast.log.level", normalised.toUpperCase(Locale.ROOT));
        if (normalised.equals("debug") || normalised.equals("trace")) {
            // the drivers' own lines, silent otherwise (steadfast-logback.xml)
            System.setProperty("steadfast.driver.log.level", normalised.toUpperCase(Locale.ROOT));
        }
        return null;
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().toLowerCase(Locale.ROOT).matches("1|true|yes|on");
    }
}
