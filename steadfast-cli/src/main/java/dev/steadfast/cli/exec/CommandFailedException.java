package dev.steadfast.cli.exec;

/** A job's command ended with a status other than 0: the attempt failed, with the tail of its stderr. */
public final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
