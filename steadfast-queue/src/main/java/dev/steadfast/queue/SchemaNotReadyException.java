package dev.steadfast.queue;

/**
 * The database's {@code sf_} schema is missing or older than this version of Steadfast needs, and the queue was
 * opened without migrating ({@link JobQueue#existing}). Apply it with {@link Migrations#apply} (or
 * {@code steadfast migrate}).
 */
public class SchemaNotReadyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Migrations.SchemaStatus status;

    public SchemaNotReadyException(Migrations.SchemaStatus status) {
        super(
                "none".equals(status.current())
                        ? "the database has no Steadfast schema (version " + status.latest() + " needed)"
                        : "the Steadfast schema is at version " + status.current()
                                + ", this version of Steadfast needs " + status.latest() + " (" + status.pending()
                                + " migration(s) to apply)");
        this.status = status;
    }

    /** Where the schema stands. */
    public Migrations.SchemaStatus status() {
        return status;
    }
}
