package dev.steadfast.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help text that wraps between words only. Picocli wraps with {@link java.text.BreakIterator}, which also breaks after
 * {@code / . : - = ,} inside a word ({@code ./.} then {@code steadfast/}, {@code jdbc:mysql://host:} then
 * {@code 3306/db}): such a character followed by more of its word is shown to picocli as a private-use character that cannot be broken
 * after, and turned back in the rendered text.
 */
final class HelpWrapping {
    private static final String BREAKABLE = "/.:-=,";
    private static final char FIRST = '\uE000';

    private HelpWrapping() {}

    /** Applies to the command and all its subcommands. */
    static void apply(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        spec.usageMessage().description(protect(spec.usageMessage().description()));
        spec.usageMessage().footer(protect(spec.usageMessage().footer()));
        Map<String, CommandLine.IHelpSectionRenderer> sections = new HashMap<>(command.getHelpSectionMap());
        sections.replaceAll((key, renderer) -> help -> restore(renderer.render(help)));
        // option descriptions are the options' own: rendered from a copy of the options with protected text
        sections.put(
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                help -> restore(
                        new CommandLine.Help(protectedOptions(help.commandSpec()), help.colorScheme()).optionList()));
        command.setHelpSectionMap(sections);
        command.getSubcommands().values().forEach(HelpWrapping::apply);
    }

    /** A command spec for rendering only: the options of {@code spec}, their descriptions protected. */
    private static CommandSpec protectedOptions(CommandSpec spec) {
        CommandSpec copy = CommandSpec.create();
        copy.usageMessage()
                .width(spec.usageMessage().width())
                .autoWidth(false)
                .longOptionsMaxWidth(spec.usageMessage().longOptionsMaxWidth())
                .sortOptions(spec.usageMessage().sortOptions())
                .showDefaultValues(spec.usageMessage().showDefaultValues())
                .adjustLineBreaksForWideCJKCharacters(spec.usageMessage().adjustLineBreaksForWideCJKCharacters());
        copy.defaultValueProvider(spec.defaultValueProvider());
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                copy.addOption(option.toBuilder()
                        .description(protect(option.description()))
                        .build());
            }
        }
        return copy;
    }

    static String[] protect(String[] lines) {
        String[] result = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            result[i] = protect(lines[i]);
        }
        return result;
    }

    private static String protect(String line) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            }
            boolean inWord = i + 1 < line.length() && !Character.isWhitespace(line.charAt(i + 1));
            int kind = BREAKABLE.indexOf(c);
            out.append(kind >= 0 && inWord && depth == 0 ? (char) (FIRST + kind) : c);
        }
        return out.toString();
    }

    static String restore(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= FIRST && c < FIRST + BREAKABLE.length() ? BREAKABLE.charAt(c - FIRST) : c);
        }
        return out.toString();
    }
}
