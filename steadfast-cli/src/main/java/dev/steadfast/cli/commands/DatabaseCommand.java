package dev.steadfast.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.UserException;
import dev.steadfast.cli.connect.ConnectionOptions;
import dev.steadfast.cli.connect.DatabaseConnector;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.SchemaNotReadyException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** A subcommand that works on the database: connection options, output streams, an ordered shutdown. */
abstract class DatabaseCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Mixin
    ConnectionOptions connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (Lifecycle lifecycle = new Lifecycle()) {
            return run(lifecycle);
        }
    }

    /** The command's work; returns its exit code. */
    abstract int run(Lifecycle lifecycle) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    ResilientDatabase openDatabase(
            Lifecycle lifecycle, MeterRegistry registry, Consumer<ResilientDatabase.Builder> customizer) {
        return new DatabaseConnector(connection).open(lifecycle, registry, customizer);
    }

    /**
     * The queue for a command that only reads: nothing is created or changed, so a read-only database user can
     * run it. A missing or old schema is one line saying to run {@code steadfast migrate}.
     */
    JobQueue openQueue(Lifecycle lifecycle) {
        return openQueue(lifecycle, new SimpleMeterRegistry(), b -> b.commitMarkers(false));
    }

    /** The queue for a command that changes jobs: it needs the schema, commit-marker table included, to exist. */
    JobQueue openQueueForChanges(Lifecycle lifecycle) {
        return openQueue(lifecycle, new SimpleMeterRegistry(), b -> {});
    }

    /**
     * The queue with the schema as {@code steadfast migrate} leaves it. Only the embedded database, which Steadfast
     * creates and owns, is migrated here; any other is the operator's to migrate.
     */
    JobQueue openQueue(Lifecycle lifecycle, MeterRegistry registry, Consumer<ResilientDatabase.Builder> customizer) {
        boolean migrate = connection.embedded();
        ResilientDatabase db = openDatabase(lifecycle, registry, b -> {
            b.createMarkerTable(migrate);
            customizer.accept(b);
        });
        return migrate ? migrated(db) : existing(db);
    }

    /** The queue with the schema brought up to date first ({@code work --migrate}). */
    JobQueue openMigratedQueue(
            Lifecycle lifecycle, MeterRegistry registry, Consumer<ResilientDatabase.Builder> customizer) {
        return migrated(openDatabase(lifecycle, registry, customizer));
    }

    private JobQueue migrated(ResilientDatabase db) {
        return duringStart("migrating the schema", () -> JobQueue.create(db));
    }

    /** The queue on a schema that must already be in place. */
    JobQueue existing(ResilientDatabase db) {
        return duringStart("checking the schema", () -> {
            try {
                return JobQueue.existing(db);
            } catch (SchemaNotReadyException e) {
                throw UserException.failure(e.getMessage() + ": run 'steadfast migrate' (with a user allowed to create"
                        + " tables), or start the worker with 'steadfast work --migrate'");
            }
        });
    }

    /**
     * A step of the start after the connection (schema check, migration): it waits out a lost database for
     * {@code --connect-timeout}, then ends the command with one line.
     */
    <T> T duringStart(String what, Supplier<T> step) {
        return new DatabaseConnector(connection).duringStart(what, step);
    }

    static int ok() {
        return ExitCode.OK;
    }
}
