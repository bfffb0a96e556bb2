package dev.steadfast.cli;

/**
 * A problem the user can fix (bad input, wrong password, unreachable server): reported as one line,
 * without a stack trace, with the exit code it names.
 */
public final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private UserException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad input: exit code 2. */
    public static UserException usage(String message) {
        return new UserException(message, ExitCode.USAGE, null);
    }

    /** Something failed that the user can act on: exit code 1. */
    public static UserException failure(String message) {
        return new UserException(message, ExitCode.FAILURE, null);
    }

    /** Like {@link #failure(String)}, keeping the cause for {@code --debug}. */
    public static UserException failure(String message, Throwable cause) {
        return new UserException(message, ExitCode.FAILURE, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
