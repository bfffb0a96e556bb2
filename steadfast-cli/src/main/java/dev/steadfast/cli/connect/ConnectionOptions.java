package dev.steadfast.cli.connect;

import dev.steadfast.cli.DurationConverter;
import dev.steadfast.cli.FileProblem;
import dev.steadfast.cli.SecretFiles;
import dev.steadfast.cli.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the database is (contract): {@code --url}/{@code STEADFAST_URL}, {@code --user}/{@code STEADFAST_USER},
 * the password only from {@code STEADFAST_PASSWORD} or {@code --password-file}, never a flag value (it
 * would show in {@code ps}). No URL: the embedded MariaDB under {@code --home}.
 */
public final class ConnectionOptions {
    @Option(
            names = "--url",
            defaultValue = "${env:STEADFAST_URL}",
            paramLabel = "JDBC_URL",
            description =
                    "jdbc:mariadb://host:3306/db or jdbc:mysql://host:3306/db (env STEADFAST_URL); name every node "
                            + "of a Galera cluster or a primary and its replicas (jdbc:mariadb://db1,db2,db3/db) to write through "
                            + "the first that takes writes and move on when it fails. Without it, an embedded MariaDB is used.")
    String url;

    @Option(
            names = "--user",
            paramLabel = "USER",
            defaultValue = "${env:STEADFAST_USER}",
            description = "Database user (env STEADFAST_USER).")
    String user;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "File holding the password (otherwise env STEADFAST_PASSWORD).")
    Path passwordFile;

    @Option(
            names = "--connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long to keep trying to reach the database at start (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(
            names = "--home",
            defaultValue = "${env:STEADFAST_HOME:-.steadfast}",
            paramLabel = "DIR",
            description = "Directory of the embedded MariaDB (default: ${DEFAULT-VALUE}).")
    Path home;

    public boolean embedded() {
        return url == null || url.isBlank();
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Path home() {
        return home;
    }

    /** The password from the file or the environment; null when neither gives one. */
    public String password() {
        if (passwordFile != null) {
            SecretFiles.checkPrivate(passwordFile, "--password-file");
            try {
                return Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw UserException.usage("cannot read --password-file " + passwordFile + ": " + FileProblem.of(e));
            }
        }
        return System.getenv("STEADFAST_PASSWORD");
    }
}
