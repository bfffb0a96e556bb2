package dev.steadfast.cli;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error of picocli as the one line the user reads: what is wrong in their words and where to look, never
 * picocli's own phrasing ({@code Unmatched argument at index 1: 'abc'}).
 */
final class UsageErrorLine {
    private static final Pattern INVALID_VALUE = Pattern.compile(
            "(?s)Invalid value for (?:option|positional parameter at index \\S+)" + " '?([^':]+)'?: (.*)");

    private static final Pattern UNKNOWN_SUBCOMMAND = Pattern.compile("Unknown subcommand '(.*)'\\.?");

    private UsageErrorLine() {}

    /** The line, without the {@code steadfast: } prefix. */
    static String of(ParameterException e) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        String help = "; see '" + name + " --help'";
        if (e instanceof UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            return unmatched(command, unmatched) + help;
        }
        if (!command.getUnmatchedArguments().isEmpty() && !(e instanceof UnmatchedArgumentException)) {
            // 'enqueue --typo noop': the unknown option first (a missing --type may just be the option misspelt)
            return unmatched(command, new UnmatchedArgumentException(command, command.getUnmatchedArguments())) + help;
        }
        if (e.getArgSpec() instanceof PositionalParamSpec positional && isJobId(positional) && e.getValue() != null) {
            return "'" + e.getValue() + "' " + JobIdConverter.RULE + help; // as for 'cancel abc', not "(ID): ..."
        }
        if (e instanceof MissingParameterException missing
                && !missing.getMissing().isEmpty()) {
            List<String> names =
                    missing.getMissing().stream().map(UsageErrorLine::describe).toList();
            boolean oneOf = String.valueOf(e.getMessage()).contains("specify one of these");
            return "'" + name + "' needs " + String.join(oneOf ? " or " : " and ", names) + help;
        }
        String message = String.valueOf(e.getMessage()).replaceFirst("^Error: ", "");
        Matcher unknownCommand = UNKNOWN_SUBCOMMAND.matcher(message);
        if (unknownCommand.matches()) { // 'help bogus': picocli's HelpCommand says "Unknown subcommand 'bogus'."
            CommandLine top = command.getParent() == null ? command : command.getParent();
            return "unknown command '" + unknownCommand.group(1) + "': 'steadfast help' takes one of "
                    + String.join(", ", top.getSubcommands().keySet()) + help;
        }
        Matcher invalid = INVALID_VALUE.matcher(message);
        if (invalid.matches()) {
            String subject = invalid.group(1).replaceFirst("^\\((.*)\\)$", "$1");
            if (e.getArgSpec() instanceof OptionSpec option
                    && command.getDefaultValueProvider() instanceof EnvironmentDefaults environment) {
                // STEADFAST_HTTP_PORT=abc: the user never typed --http-port, so name what they did set
                subject = environment
                        .supplier(option, e.getValue())
                        .map(variable -> variable + " (for " + option.longestName() + ")")
                        .orElse(subject);
            }
            message = subject + ": " + invalid.group(2).replaceAll("is not an? (int|long)\\b", "is not a whole number");
        }
        return message.replaceFirst("\\.$", "") + help;
    }

    private static String unmatched(CommandLine command, UnmatchedArgumentException e) {
        String first = e.getUnmatched().get(0);
        List<String> suggestions = e.getSuggestions();
        String didYouMean = suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
        String name = command.getCommandSpec().qualifiedName();
        List<PositionalParamSpec> ids = command.getCommandSpec().positionalParameters().stream()
                .filter(UsageErrorLine::isJobId)
                .toList();
        if (!ids.isEmpty() && ids.get(0).arity().max() == 1 && first.matches("\\d+")) {
            return "'" + name + "' takes one job id, and '" + first + "' is another"; // 'jobs show 1 2'
        }
        if (!ids.isEmpty() && (first.matches("-\\d+") || !first.startsWith("-"))) {
            return "'" + first + "' " + JobIdConverter.RULE; // 'cancel abc', 'cancel -5'
        }
        if (first.startsWith("-")) {
            return "unknown option '" + first + "' for '" + name + "'" + didYouMean;
        }
        if (!command.getSubcommands().isEmpty()) {
            return "unknown command '" + first + "' for '" + name + "'" + didYouMean;
        }
        return "unexpected argument '" + first + "': '" + name + "' takes no more";
    }

    private static boolean isJobId(PositionalParamSpec positional) {
        return positional.paramLabel().equals("ID");
    }

    /** {@code --type TYPE}, or a positional's label and what it is: {@code ID (the job id)}. */
    private static String describe(ArgSpec arg) {
        if (arg instanceof OptionSpec option) {
            return option.longestName() + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
        }
        PositionalParamSpec positional = (PositionalParamSpec) arg;
        String what = positional.description().length == 0 ? "" : positional.description()[0].replaceFirst("\\.$", "");
        return positional.paramLabel() + (what.isEmpty() ? "" : " (" + what.toLowerCase(Locale.ROOT) + ")");
    }
}
