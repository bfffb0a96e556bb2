package dev.steadfast.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.steadfast.cli.ExitCode;
import dev.steadfast.cli.Lifecycle;
import dev.steadfast.cli.connect.ConnectionOptions;
import dev.steadfast.cli.connect.DatabaseConnector;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** A subcommand that works on the database: connection options, output streams, an ordered shutdown. */
abstract class DatabaseCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
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

    ResilientDatabase openDatabase(Lifecycle lifecycle, MeterRegistry registry, Consumer<ResilientDatabase.Builder> customizer) {
        return new DatabaseConnector(connection).open(lifecycle, registry, customizer);
    }

    /** The queue, its schema brought up to date first. */
    JobQueue openQueue(Lifecycle lifecycle) {
        return JobQueue.create(openDatabase(lifecycle, new SimpleMeterRegistry(), b -> { }));
    }

    static int ok() {
        return ExitCode.OK;
    }
}
