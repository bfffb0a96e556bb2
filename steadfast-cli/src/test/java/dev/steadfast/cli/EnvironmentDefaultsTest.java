package dev.steadfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
        Map<String, String> env = Map.of(
                "STEADFAST_MAX_ATTEMPTS",
                "7",
                "STEADFAST_QUEUE",
                "mail:3,default:1",
                "STEADFAST_LOG_JSON",
                "1",
                "STEADFAST_YES",
                "true",
                "STEADFAST_CONNECT_TIMEOUT",
                "3s");
        CommandLine.Model.CommandSpec enqueue = parse(env, "enqueue", "--type", "email");
        assertThat((Integer) enqueue.findOption("--max-attempts").getValue()).isEqualTo(7);
        assertThat((String) enqueue.findOption("--queue").getValue())
                .as("the worker's queue list is not the producer's queue")
                .isEqualTo("default");
        assertThat((Boolean) enqueue.findOption("--log-json").getValue())
                .as("1 means true")
                .isTrue();
        assertThat((Duration) enqueue.findOption("--connect-timeout").getValue())
                .hasSeconds(3);
        assertThat(parse(env, "work").findOption("--queue").getValue().toString())
                .as("the worker reads it")
                .contains("mail");
        assertThat((Integer) parse(env, "enqueue", "--type", "email", "--max-attempts", "2")
                        .findOption("--max-attempts")
                        .getValue())
                .as("a flag given wins")
                .isEqualTo(2);
        assertThat((Boolean) parse(env, "jobs", "purge", "--state", "failed")
                        .findOption("--yes")
                        .getValue())
                .as("a stray STEADFAST_YES confirms nothing")
                .isFalse();
        assertThat((Integer) parse(Map.of(), "enqueue", "--type", "email")
                        .findOption("--max-attempts")
                        .getValue())
                .as("the documented default otherwise")
                .isEqualTo(3);
    }

    /** No filter, bulk flag, confirmation or output format of any command, and nothing naming a job, from the environment. */
    @Test
    void whatPicksTheJobsComesOnlyFromTheCommandLine() {
        List<String> never = List.of(
                "--queue",
                "--type",
                "--state",
                "--error",
                "--older-than",
                "--search",
                "--all",
                "--yes",
                "--json",
                "--limit",
                "--payload",
                "--count",
                "--delay",
                "--unique-key",
                "--rate",
                "--off",
                "--cron",
                "--every");
        List<String> leaks = new ArrayList<>();
        visit(new CommandLine(new SteadfastCommand()), command -> {
            String name = command.getCommandSpec().qualifiedName();
            for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                boolean worker = name.equals("steadfast work") || name.equals("steadfast serve");
                if (!worker
                        && never.contains(option.longestName())
                        && EnvironmentDefaults.variableOf(option).isPresent()) {
                    leaks.add(name + " " + option.longestName());
                }
            }
        });
        assertThat(leaks).isEmpty();
        Map<String, String> env = Map.of(
                "STEADFAST_QUEUE",
                "mail",
                "STEADFAST_TYPE",
                "send",
                "STEADFAST_STATE",
                "failed",
                "STEADFAST_ALL",
                "true",
                "STEADFAST_JSON",
                "1");
        CommandLine.Model.CommandSpec list = parse(env, "failed", "list");
        assertThat((Object) list.findOption("--queue").getValue()).isNull();
        assertThat((Object) list.findOption("--type").getValue()).isNull();
        assertThat((Boolean) list.findOption("--json").getValue()).isFalse();
        assertThat((Object) parse(env, "jobs", "list").findOption("--state").getValue())
                .isNull();
        assertThat((Boolean) parse(env, "cancel").findOption("--all").getValue())
                .isFalse();
    }

    private static void visit(CommandLine command, Consumer<CommandLine> action) {
        action.accept(command);
        command.getSubcommands().values().forEach(sub -> visit(sub, action));
    }

    @Test
    void aValueThatIsNoFlagIsAUsageErrorNamingTheOption() {
        assertThatThrownBy(() -> parse(Map.of("STEADFAST_DEBUG", "maybe"), "stats"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--debug");
    }
}
