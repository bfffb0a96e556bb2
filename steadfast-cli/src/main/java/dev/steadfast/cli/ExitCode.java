package dev.steadfast.cli;

/** The command's exit codes (contract). */
public final class ExitCode {
    /** Done as asked. */
    public static final int OK = 0;
    /** Something failed (the database, a job, a check). */
    public static final int FAILURE = 1;
    /** The command line or its input is wrong. */
    public static final int USAGE = 2;

    private ExitCode() {}
}
