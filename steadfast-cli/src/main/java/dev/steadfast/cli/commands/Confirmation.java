package dev.steadfast.cli.commands;

import dev.steadfast.cli.UserException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Asks before a bulk action: on a terminal, a y/N question; elsewhere (a script, a pipe) the action needs
 * {@code --yes}, so that nothing is changed in bulk by a command that could not ask.
 */
final class Confirmation {
    private Confirmation() {}

    /**
     * @param what the action in words, with its count: "delete 1,204 failed jobs in queue mail"
     * @return whether to go ahead (false: the operator said no)
     */
    static boolean confirm(boolean yes, String what, PrintWriter err) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw UserException.usage("about to " + what + ": add --yes to confirm (no terminal to ask on)");
        }
        err.print("About to " + what + ". Go ahead? [y/N] ");
        err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
        } catch (IOException e) {
            throw UserException.failure("cannot read the answer: " + e.getMessage(), e);
        }
    }
}
