package dev.steadfast.cli.commands;

import dev.steadfast.cli.Lifecycle;
import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;

/** {@code steadfast migrate}. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description =
                "Create or update Steadfast's tables (sf_job, sf_failed_job, sf_worker, sf_tx_outcome, ...). Safe to run"
                        + " any time; the only command that changes the schema (besides 'work --migrate').")
public final class MigrateCommand extends DatabaseCommand {

    @Override
    int run(Lifecycle lifecycle) {
        ResilientDatabase db = openDatabase(lifecycle, new SimpleMeterRegistry(), b -> {});
        int applied =
                duringStart("migrating the schema", () -> Migrations.apply(db.dataSource(), db.startupPatience()));
        Migrations.SchemaStatus status =
                duringStart("checking the schema", () -> Migrations.status(db.dataSource(), db.startupPatience()));
        out().println(
                        applied == 0
                                ? "schema is up to date (version " + status.current() + ")"
                                : "applied " + applied + " migration(s); schema at version " + status.current());
        return ok();
    }
}
