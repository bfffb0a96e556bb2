package dev.steadfast.cli;

import picocli.CommandLine;

/** Reads a job id of the command line: a positive whole number ({@code cancel -5} is a mistake, not "no job -5"). */
public final class JobIdConverter implements CommandLine.ITypeConverter<Long> {
    /** What the user is told of a value that is no job id, after the value in quotes. */
    static final String RULE = "is not a job id: ids are positive whole numbers (as 'steadfast jobs list' shows them)";

    @Override
    public Long convert(String value) {
        try {
            long id = Long.parseLong(value.trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // said below, as for any other value
        }
        throw new CommandLine.TypeConversionException("'" + value + "' " + RULE);
    }
}
