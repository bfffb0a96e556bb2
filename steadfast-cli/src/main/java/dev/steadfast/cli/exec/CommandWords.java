package dev.steadfast.cli.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command into words as a POSIX shell does, without running one: blanks separate words, single quotes keep
 * everything literally, double quotes keep everything but {@code \"}, {@code \\}, {@code \$} and {@code \`}, a
 * backslash outside quotes keeps the next character. Nothing is expanded ({@code $HOME}, {@code *}, {@code ~} stay as
 * written) and nothing is interpreted ({@code ;}, {@code |}, {@code >} are plain characters of a word): job data never
 * reaches a shell.
 */
final class CommandWords {
    private CommandWords() {}

    /** @throws IllegalArgumentException for an unclosed quote, a trailing backslash, or no word at all */
    static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed single quote in: " + command);
                }
                word.append(command, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(command, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= command.length()) {
                    throw new IllegalArgumentException("a command cannot end with a backslash: " + command);
                }
                word.append(command.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        return List.copyOf(words);
    }

    /** Appends a double-quoted part starting after its opening quote; answers the index after its closing quote. */
    private static int doubleQuoted(String command, int from, StringBuilder word) {
        int i = from;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                word.append(command.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unclosed double quote in: " + command);
    }
}
