package dev.steadfast.queue.internal.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.extensibility.MigrationType;
import org.flywaydb.core.internal.jdbc.Results;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's SQL migrations, to run again after a connection or server was lost in the middle of one. MySQL and
 * MariaDB commit each DDL statement on its own, so a cut migration may have applied some of its statements and not the
 * rest; run again as Flyway runs it, its first applied statement fails ("Duplicate column name") and the start could
 * never finish. Here each statement runs on its own, and one that fails because it had already been applied (a
 * column, index or table already there, an index already dropped) is skipped. Each statement of our scripts is atomic
 * (one ALTER with all its clauses, or one CREATE), so "already there" means "applied whole".
 *
 * <p>The migrations keep the version, description, script name and checksum the default resolver gives them, so the
 * history table reads the same whichever way a migration was applied. Used only for the retry after a cut; a first
 * attempt runs Flyway's own executor.
 */
public final class ResumingResolver implements MigrationResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ResumingResolver.class);
    /** Table exists, duplicate column, duplicate key name, cannot drop (gone already), multiple primary keys. */
    private static final Set<Integer> ALREADY_APPLIED = Set.of(1050, 1060, 1061, 1091, 1068);

    private final List<MigrationInfo> known;
    private final String location;

    /**
     * @param known    the migrations as Flyway's default resolver found them ({@code flyway.info().all()})
     * @param location the class path folder of the scripts, like {@code db/steadfast}
     */
    public ResumingResolver(MigrationInfo[] known, String location) {
        this.known = List.copyOf(Arrays.asList(known));
        this.location = location;
    }

    @Override
    public Collection<ResolvedMigration> resolveMigrations(Context context) {
        List<ResolvedMigration> resolved = new ArrayList<>();
        for (MigrationInfo info : known) {
            if (info.getType() == CoreMigrationType.SQL
                    && info.getVersion() != null
                    && info.getState().isResolved()) {
                resolved.add(
                        new Resumable(info.getVersion(), info.getDescription(), info.getScript(), info.getChecksum()));
            }
        }
        return resolved;
    }

    /** The statements of a script: comment lines dropped, split where a line ends with a semicolon. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private String read(String script) {
        String path = location + "/" + script;
        try (InputStream in = ResumingResolver.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private final class Resumable implements ResolvedMigration, MigrationExecutor {
        private final MigrationVersion version;
        private final String description;
        private final String script;
        private final Integer checksum;

        Resumable(MigrationVersion version, String description, String script, Integer checksum) {
            this.version = version;
            this.description = description;
            this.script = script;
            this.checksum = checksum;
        }

        @Override
        public List<Results> execute(org.flywaydb.core.api.executor.Context context) throws SQLException {
            for (String statement : statements(read(script))) {
                try (Statement s = context.getConnection().createStatement()) {
                    s.execute(statement);
                } catch (SQLException e) {
                    if (!ALREADY_APPLIED.contains(e.getErrorCode())) {
                        throw e;
                    }
                    LOG.info(
                            "schema version {}: a statement of the migration cut off earlier was already applied ({}); "
                                    + "going on with the next",
                            version,
                            e.getMessage());
                }
            }
            return new ArrayList<>();
        }

        @Override
        public boolean canExecuteInTransaction() {
            return false; // DDL commits itself on MySQL and MariaDB
        }

        @Override
        public boolean shouldExecute() {
            return true;
        }

        @Override
        public MigrationVersion getVersion() {
            return version;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public String getScript() {
            return script;
        }

        @Override
        public Integer getChecksum() {
            return checksum;
        }

        @Override
        public MigrationType getType() {
            return CoreMigrationType.SQL;
        }

        @Override
        public String getPhysicalLocation() {
            return location + "/" + script;
        }

        @Override
        public MigrationExecutor getExecutor() {
            return this;
        }

        @Override
        public boolean checksumMatches(Integer other) {
            return Objects.equals(checksum, other);
        }

        @Override
        public boolean checksumMatchesWithoutBeingIdentical(Integer other) {
            return false;
        }
    }
}
