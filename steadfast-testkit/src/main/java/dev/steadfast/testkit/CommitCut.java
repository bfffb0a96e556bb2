package dev.steadfast.testkit;

/** Where the fault proxy cuts a connection relative to the next {@code COMMIT} it sees. */
public enum CommitCut {
    /** Reset the connection instead of forwarding the COMMIT: the server never receives it. */
    BEFORE_COMMIT,
    /** Forward the COMMIT, then reset the client side and drop the server's reply. */
    AFTER_COMMIT
}
