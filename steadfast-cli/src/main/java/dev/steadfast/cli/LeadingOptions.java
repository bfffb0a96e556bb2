package dev.steadfast.cli;

import dev.steadfast.cli.connect.ConnectionOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Connection options given before the command ({@code steadfast --connect-timeout 3s stats}) moved after it, where
 * picocli reads them: they mean the same for every command that uses the database.
 */
final class LeadingOptions {
    private LeadingOptions() {}

    static String[] moved(CommandLine root, String[] args) {
        CommandSpec connection = CommandSpec.forAnnotatedObject(new ConnectionOptions());
        List<String> moved = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        int i = 0;
        while (i < args.length && args[i].startsWith("-") && !args[i].equals("--")) {
            String name = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
            OptionSpec own = root.getCommandSpec().findOption(name);
            OptionSpec option = own != null ? own : connection.findOption(name);
            if (option == null || !name.startsWith("--")) {
                break; // picocli names what it does not know
            }
            boolean takesValue = option.arity().max() > 0 && !args[i].contains("=");
            List<String> target = own != null ? kept : moved;
            target.add(args[i]);
            if (takesValue && i + 1 < args.length) {
                target.add(args[++i]);
            }
            i++;
        }
        if (moved.isEmpty()) {
            return args;
        }
        CommandLine command = root;
        while (i < args.length && command.getSubcommands().containsKey(args[i])) {
            command = command.getSubcommands().get(args[i]);
            kept.add(args[i++]);
        }
        kept.addAll(moved);
        kept.addAll(Arrays.asList(args).subList(i, args.length));
        return kept.toArray(String[]::new);
    }
}
