package dev.steadfast.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes {@code docs/configuration.md}, every command's options with their environment variables and defaults,
 * from the command's own definitions, so that the reference cannot drift from the code (a test compares them):
 * {@code java -cp steadfast-cli/target/steadfast.jar dev.steadfast.cli.ConfigurationReference > docs/configuration.md}.
 */
public final class ConfigurationReference {
    private static final List<String> SKIPPED = List.of("help", "generate-completion");
    /** Options every database command has: listed once, under the top-level command. */
    private static final List<String> COMMON = List.of(
            "--url",
            "--user",
            "--password-file",
            "--connect-timeout",
            "--home",
            "--log-json",
            "--debug",
            "--log-level");

    private ConfigurationReference() {}

    public static void main(String[] args) {
        System.out.print(markdown());
    }

    public static String markdown() {
        CommandLine root = new CommandLine(new SteadfastCommand());
        root.setInterpolateVariables(false); // the reference shows defaults, not this machine's environment
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append(
                        "Generated from the command's own definitions (`ConfigurationReference`; a test fails when this file is\n")
                .append(
                        "stale). The options with a variable in the environment column can also come from it (`STEADFAST_` and\n")
                .append(
                        "the option's name in capitals with underscores); a flag given on the command line wins. Each variable\n")
                .append(
                        "means one thing: where the database is and how to log (every command), the settings of `work` and\n")
                .append(
                        "`serve`, the workers' `--lease` (`doctor`) and `--max-attempts` of `enqueue` and `schedule add`.\n")
                .append(
                        "`STEADFAST_QUEUE` is the worker's queue list (`mail:3,default:1`): `enqueue` never writes to it. What\n")
                .append(
                        "picks the jobs one command acts on (a job's queue, type or payload, the filters `--queue`, `--type`,\n")
                .append("`--state` of listings, `--all`, `--yes`) comes only from the command line (—).\n")
                .append("The database password comes only from `STEADFAST_PASSWORD` or\n")
                .append(
                        "`--password-file` (a flag would show in `ps`). The dashboard token comes from `STEADFAST_UI_TOKEN` or\n")
                .append("`--token-file`; a webhook URL from `STEADFAST_WEBHOOK_URL`.\n\n")
                .append(
                        "Durations are written `500ms`, `30s`, `5m`, `1h`, `2d` (a bare number is seconds); sizes `512KB`, `16MB`.\n")
                .append(
                        "Queue names (up to 64 characters), job types and schedule names (up to 128) are letters, digits and\n")
                .append(
                        "`. _ - /`: no `,`, `:`, whitespace or control characters (a worker's `--queue` list uses `,` and `:`).\n")
                .append(
                        "Every name that enters is checked: `enqueue`, `work --queue`, `--exec`, `schedule add`, `queue pause` and\n")
                .append(
                        "`limit`, `POST /api/jobs`, and Java's `JobRequest`, `Schedule`, `Worker.Builder` (`NameRule`).\n");
        md.append("\n## Options of every command\n\n")
                .append(
                        "The connection options apply to every command that uses the database (all but `generate-completion`).\n");
        table(
                root.getSubcommands().get("migrate").getCommandSpec().options().stream()
                        .filter(o -> COMMON.contains(o.longestName()))
                        .toList(),
                md);
        commands(root, md);
        return md.toString();
    }

    /** {@code ${env:X:-Y}} shows as Y, {@code ${env:X}} as nothing: the environment part is in its own column. */
    private static String shownDefault(String raw) {
        if (raw == null) {
            return "";
        }
        Matcher env = Pattern.compile("\\$\\{env:[A-Z_]+(?::-(.*))?}").matcher(raw);
        if (env.matches()) {
            return env.group(1) == null ? "" : env.group(1);
        }
        return raw;
    }

    private static void commands(CommandLine command, StringBuilder md) {
        CommandSpec spec = command.getCommandSpec();
        md.append("\n## `").append(spec.qualifiedName()).append("`\n\n");
        for (String line : spec.usageMessage().description()) {
            md.append(line).append('\n');
        }
        List<OptionSpec> options = spec.options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp() && !COMMON.contains(o.longestName()))
                .toList();
        table(options, md);
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!SKIPPED.contains(sub.getCommandName())) {
                commands(sub, md);
            }
        }
    }

    private static void table(List<OptionSpec> options, StringBuilder md) {
        if (!options.isEmpty()) {
            md.append("\n| option | environment | default | what it does |\n|---|---|---|---|\n");
            for (OptionSpec option : options) {
                String env = EnvironmentDefaults.variableOf(option)
                        .map(name -> "`" + name + "`")
                        .orElse("—");
                String raw = shownDefault(option.defaultValue());
                String defaultValue = raw.isEmpty() ? "" : "`" + raw + "`";
                md.append("| `")
                        .append(String.join("`, `", option.names()))
                        .append(option.arity().max() > 0 ? " " + option.paramLabel() : "")
                        .append("` | ")
                        .append(env)
                        .append(" | ")
                        .append(defaultValue)
                        .append(" | ")
                        .append(String.join(" ", option.description())
                                .replace("${DEFAULT-VALUE}", defaultValue.replace("`", ""))
                                .replace("|", "\\|"))
                        .append(" |\n");
            }
        }
    }
}
