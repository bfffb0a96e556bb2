package dev.steadfast.queue.internal.schema;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.OptionalInt;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Whether the schema is already at the newest version this build knows, answered with one query and a look at the
 * migration scripts' names, without Flyway: loading Flyway and scanning the classpath costs most of a second, which
 * every short command (an {@code enqueue}) would pay for the common answer "nothing to do". Anything else than a
 * clear "up to date" (no history table, a failed row, a version newer or older, scripts not named {@code V<n>__})
 * is left to Flyway.
 */
public final class AppliedSchema {
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__[^/]*\\.sql");

    private AppliedSchema() {}

    /**
     * Whether the history {@code table} says every script under {@code location} is applied; false when unsure.
     *
     * @throws SQLException when the question could not be asked (a lost connection: the caller's retry waits for the
     *                      server, as it would for Flyway; never swallowed here, or the wait would go unreported)
     */
    public static boolean upToDate(DataSource dataSource, String table, String location) throws SQLException {
        OptionalInt latest = latestScript(location);
        if (latest.isEmpty()) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            // asked first, so that a new database's missing table is not a server error (the driver logs those)
            try (ResultSet exists = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table + "'")) {
                if (!exists.next() || exists.getLong(1) == 0) {
                    return false;
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT SUM(success = 0), MAX(CASE WHEN success = 1 THEN CAST(version AS UNSIGNED) END),"
                            + " SUM(version IS NOT NULL AND version NOT REGEXP '^[0-9]+$') FROM " + table)) {
                return rs.next()
                        && rs.getLong(1) == 0
                        && !rs.wasNull()
                        && rs.getLong(3) == 0
                        && rs.getLong(2) == latest.getAsInt()
                        && !rs.wasNull();
            }
        }
    }

    /** The newest {@code V<n>__*.sql} under {@code location} on the classpath; empty when unsure. */
    public static OptionalInt latestScript(String location) {
        URL url = AppliedSchema.class.getClassLoader().getResource(location);
        if (url == null) {
            return OptionalInt.empty();
        }
        try {
            List<String> names = new ArrayList<>();
            if ("jar".equals(url.getProtocol())) {
                JarURLConnection jar = (JarURLConnection) url.openConnection();
                jar.setUseCaches(true);
                String prefix = location + "/";
                for (Enumeration<JarEntry> entries = jar.getJarFile().entries(); entries.hasMoreElements(); ) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith(prefix) && name.length() > prefix.length()) {
                        names.add(name.substring(prefix.length()));
                    }
                }
            } else if ("file".equals(url.getProtocol())) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.forEach(f -> names.add(f.getFileName().toString()));
                }
            } else {
                return OptionalInt.empty();
            }
            int latest = -1;
            for (String name : names) {
                Matcher m = SCRIPT.matcher(name);
                if (!m.matches()) {
                    return OptionalInt.empty(); // another kind of script: Flyway decides
                }
                latest = Math.max(latest, Integer.parseInt(m.group(1)));
            }
            return latest < 0 ? OptionalInt.empty() : OptionalInt.of(latest);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
