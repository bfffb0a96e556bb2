package dev.steadfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Help wraps between words: a path, a URL or an option name is never cut (./.\nsteadfast/, host:\n3306/db). */
class HelpTextTest {
    @Test
    void helpNeverCutsAWord() {
        CommandLine root = new CommandLine(new SteadfastCommand());
        HelpWrapping.apply(root);
        List<String> cut = new ArrayList<>();
        visit(root, command -> {
            command.getCommandSpec().usageMessage().width(80);
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
            List<String> source = new ArrayList<>(
                    List.of(command.getCommandSpec().usageMessage().footer()));
            source.addAll(List.of(command.getCommandSpec().usageMessage().description()));
            for (OptionSpec option : command.getCommandSpec().options()) {
                source.addAll(List.of(option.description()));
            }
            for (String line : source) {
                for (String word : HelpWrapping.restore(line).split("\\s+")) {
                    if (word.matches(".*\\w[/.:=,-]\\S.*")
                            && !word.contains("${")
                            && !word.contains("%")
                            && word.length() < 40
                            && !help.contains(word)) {
                        cut.add(command.getCommandSpec().qualifiedName() + ": " + word);
                    }
                }
            }
        });
        assertThat(cut).isEmpty();
        assertThat(root.getUsageMessage(CommandLine.Help.Ansi.OFF)).contains("./.steadfast/");
        assertThat(root.getSubcommands().get("work").getUsageMessage(CommandLine.Help.Ansi.OFF))
                .as("the text is restored")
                .doesNotContainPattern("[\\uE000-\\uE00F]")
                .contains("jdbc:mysql://host:3306/db");
    }

    /** A placeholder says what to give (DURATION, HOST, N), never a Java field's name: {@code --shutdown-grace=<shutdownGrace>}. */
    @Test
    void everyPlaceholderIsAProperLabel() {
        CommandLine root = new CommandLine(new SteadfastCommand());
        HelpWrapping.apply(root);
        List<String> fieldNames = new ArrayList<>();
        visit(root, command -> {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            Matcher camel = Pattern.compile("<[a-z]+[A-Z]\\w*>").matcher(help);
            while (camel.find()) {
                fieldNames.add(command.getCommandSpec().qualifiedName() + ": " + camel.group());
            }
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.arity().max() > 0 && option.paramLabel().startsWith("<")) { // picocli's default: <fieldName>
                    fieldNames.add(command.getCommandSpec().qualifiedName() + " " + option.longestName() + "="
                            + option.paramLabel());
                }
            }
        });
        assertThat(fieldNames).isEmpty();
    }

    private static void visit(CommandLine command, Consumer<CommandLine> action) {
        action.accept(command);
        command.getSubcommands().values().forEach(sub -> visit(sub, action));
    }
}
