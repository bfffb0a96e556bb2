package dev.steadfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Usage mistakes as the user reads them, picocli's phrasing never shown. Each is refused while the command line is
 * parsed (or by {@code help}), before anything opens a database.
 */
class UsageErrorLineTest {
    /** The one line a mistake gets (without "steadfast: "), the environment as given. */
    static String line(Map<String, String> environment, String... args) {
        CommandLine cli = new CommandLine(new SteadfastCommand());
        cli.setExpandAtFiles(false);
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        List<String> lines = new ArrayList<>();
        cli.setParameterExceptionHandler((e, a) -> {
            lines.add(UsageErrorLine.of(e));
            return ExitCode.USAGE;
        });
        cli.setExecutionStrategy(parsed -> {
            if (parsed.subcommand() != null
                    && parsed.subcommand().commandSpec().name().equals("help")) {
                return new CommandLine.RunLast().execute(parsed);
            }
            throw new AssertionError("parsed without a usage error: " + String.join(" ", args));
        });
        assertThat(cli.execute(args)).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    static String line(String... args) {
        return line(Map.of(), args);
    }

    @Test
    void jobIdsArePositiveWholeNumbersAndACommandTakingOneSaysSo() {
        String rule = "is not a job id: ids are positive whole numbers (as 'steadfast jobs list' shows them)";
        assertThat(line("jobs", "show", "1", "2"))
                .isEqualTo("'steadfast jobs show' takes one job id, and '2' is another;"
                        + " see 'steadfast jobs show --help'");
        assertThat(line("jobs", "show", "abc")).isEqualTo("'abc' " + rule + "; see 'steadfast jobs show --help'");
        assertThat(line("failed", "show", "0")).isEqualTo("'0' " + rule + "; see 'steadfast failed show --help'");
        assertThat(line("jobs", "show", "-5")).startsWith("'-5' " + rule);
        assertThat(line("cancel", "abc")).isEqualTo("'abc' " + rule + "; see 'steadfast cancel --help'");
        assertThat(line("cancel", "-5")).isEqualTo("'-5' " + rule + "; see 'steadfast cancel --help'");
        assertThat(line("cancel", "7", "0")).startsWith("'0' " + rule);
        assertThat(line("jobs", "delete", "3", "x")).startsWith("'x' " + rule);
        assertThat(line("failed", "retry", "-1")).startsWith("'-1' " + rule);
    }

    @Test
    void anUnknownOptionIsReportedBeforeTheOptionsItLeavesMissing() {
        assertThat(line("enqueue", "--typo", "noop"))
                .isEqualTo("unknown option '--typo' for 'steadfast enqueue'"
                        + " (did you mean --type?); see 'steadfast enqueue --help'");
        assertThat(line("enqueue")).isEqualTo("'steadfast enqueue' needs --type TYPE; see 'steadfast enqueue --help'");
    }

    /** The user set a variable, not a flag: the line names the variable (and the flag it stands for). */
    @Test
    void aBadValueFromTheEnvironmentIsReportedUnderItsVariable() {
        assertThat(line(Map.of("STEADFAST_HTTP_PORT", "abc"), "work"))
                .isEqualTo("STEADFAST_HTTP_PORT (for --http-port):"
                        + " 'abc' is not a whole number; see 'steadfast work --help'");
        assertThat(line(Map.of("STEADFAST_LEASE", "soon"), "work"))
                .startsWith("STEADFAST_LEASE (for --lease): 'soon' is not a duration");
        assertThat(line(Map.of("STEADFAST_CONNECT_TIMEOUT", "soon"), "stats"))
                .startsWith("STEADFAST_CONNECT_TIMEOUT (for --connect-timeout): 'soon' is not a duration");
        // typed on the command line: the flag, whatever the environment holds
        assertThat(line(Map.of("STEADFAST_HTTP_PORT", "8080"), "work", "--http-port", "abc"))
                .startsWith("--http-port: 'abc' is not a whole number");
        assertThat(line(Map.of("STEADFAST_HTTP_PORT", "abc"), "work", "--http-port", "abc"))
                .startsWith("--http-port: 'abc' is not a whole number");
    }

    @Test
    void helpForAnUnknownCommandIsOneProperLine() {
        String bogus = line("help", "bogus");
        assertThat(bogus)
                .startsWith("unknown command 'bogus': 'steadfast help' takes one of migrate, enqueue, work,")
                .endsWith("; see 'steadfast --help'")
                .doesNotContain("Unknown subcommand")
                .doesNotContain(".;");
    }
}
