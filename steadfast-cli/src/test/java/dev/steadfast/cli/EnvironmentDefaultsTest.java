package dev.steadfast.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options from STEADFAST_* variables: a flag given wins, flags read 1/yes/true, confirmations never come from there. */
class EnvironmentDefaultsTest {
    private static CommandLine.Model.CommandSpec parse(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new SteadfastCommand());
        cli.setDefaultValueProvider(new EnvironmentDefaults(env));
        CommandLine.ParseResult result = cli.parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec();
    }

    @Test
    void variablesFillOptionsThatWereNotGiven() {
        Map<String, String> env = Map.of("STEADFAST_MAX_ATTEMPTS", "7", "STEADFAST_QUEUE", "mail", "STEADFAST_LOG_JSON", "1",
                "STEADFAST_YES", "true");
        CommandLine.Model.CommandSpec enqueue = parse(env, "enqueue", "--type", "email");
        assertThat((Integer) enqueue.findOption("--max-attempts").getValue()).isEqualTo(7);
        assertThat((String) enqueue.findOption("--queue").getValue()).isEqualTo("mail");
        assertThat((Boolean) enqueue.findOption("--log-json").getValue()).as("1 means true").isTrue();
        assertThat((Integer) parse(env, "enqueue", "--type", "email", "--max-attempts", "2").findOption("--max-attempts")
                .getValue()).as("a flag given wins").isEqualTo(2);
        assertThat((Boolean) parse(env, "jobs", "purge", "--state", "failed").findOption("--yes").getValue())
                .as("a stray STEADFAST_YES confirms nothing").isFalse();
        assertThat((Integer) parse(Map.of(), "enqueue", "--type", "email").findOption("--max-attempts").getValue())
                .as("the documented default otherwise").isEqualTo(3);
    }

    @Test
    void aValueThatIsNoFlagIsAUsageErrorNamingTheOption() {
        assertThatThrownBy(() -> parse(Map.of("STEADFAST_DEBUG", "maybe"), "stats"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--debug");
    }
}
