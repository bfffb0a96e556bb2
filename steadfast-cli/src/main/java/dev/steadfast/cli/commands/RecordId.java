package dev.steadfast.cli.commands;

import picocli.CommandLine;

/**
 * Reads the id of a batch or a workflow on the command line: a positive whole number; anything else is one line that
 * names what the id was for (not "a job id", the command line's reading of a plain number).
 */
abstract class RecordId implements CommandLine.ITypeConverter<Long> {
    private final String what;
    private final String listedBy;

    RecordId(String what, String listedBy) {
        this.what = what;
        this.listedBy = listedBy;
    }

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
        throw new CommandLine.TypeConversionException("'" + value + "' is not a " + what
                + " id: ids are positive whole numbers (as '" + listedBy + "' shows them)");
    }

    /** A batch's id. */
    static final class Batch extends RecordId {
        Batch() {
            super("batch", "steadfast batch list");
        }
    }

    /** A workflow's id. */
    static final class Workflow extends RecordId {
        Workflow() {
            super("workflow", "steadfast workflow list");
        }
    }
}
