package dev.steadfast.embedded;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Gives a long-lived embedded server its own credentials: the template's fixed password (the same in
 * every installation, so every local user knows it) is replaced by a random one kept in an owner-only
 * file, and the root accounts are locked. Crash-safe: the new password is written to {@code FILE.new}
 * before the server learns it and renamed into place after, and every candidate is tried on the next run.
 */
public final class EmbeddedCredentials {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private EmbeddedCredentials() {}

    /**
     * The server arguments for the first start of a data directory just copied from the template: the server
     * sets a new random password for the application user and locks root while it starts, before it takes a
     * connection, so the template's password (public knowledge) never works on this server, not even for a
     * moment. The password waits in {@code FILE.new} until {@link #secure} confirms it.
     *
     * @param file where the password is kept
     * @param init where to write the statements the server reads at start (owner-only; delete it once started)
     */
    public static List<String> firstStartArguments(Path file, Path init) throws IOException {
        String password = random();
        write(pending(file), password);
        // one statement per line, as the server reads this file; the password is base64url: nothing to escape
        write(
                init,
                "ALTER USER '" + MariaDbInstallation.USER + "'@'%' IDENTIFIED BY '" + password + "';\n"
                        + "ALTER USER IF EXISTS 'root'@'localhost', 'root'@'127.0.0.1', 'root'@'::1', 'root'@'%' ACCOUNT LOCK;");
        return List.of("--init-file=" + init);
    }

    /**
     * The application user's password on the server at {@code port}, made random first if it is not yet.
     *
     * @param file where the password is kept (created owner-readable only)
     */
    public static String secure(int port, Path file) throws IOException {
        Path pending = pending(file);
        OwnerOnly.restore(file, OWNER_ONLY);
        List<String> candidates = new ArrayList<>();
        read(file).ifPresent(candidates::add);
        int stored = candidates.size();
        read(pending).ifPresent(candidates::add);
        int template = candidates.size();
        candidates.add(MariaDbInstallation.PASSWORD);
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/" + MariaDbInstallation.DATABASE;
        SQLException last = null;
        for (int i = 0; i < candidates.size(); i++) {
            String candidate = candidates.get(i);
            try (Connection c = DriverManager.getConnection(url, MariaDbInstallation.USER, candidate)) {
                if (i < stored) {
                    return candidate;
                }
                if (i < template) { // set at first start, or by a run cut off before it kept the password
                    lockRoot(c);
                    keep(pending, file);
                    return candidate;
                }
                return replace(c, file, pending);
            } catch (SQLException e) {
                last = e;
            }
        }
        throw new IOException(
                "none of the known passwords of the embedded MariaDB's user works (" + file + " and the template's): "
                        + (last == null ? "" : last.getMessage()),
                last);
    }

    private static Path pending(Path file) {
        return file.resolveSibling(file.getFileName() + ".new");
    }

    private static String replace(Connection c, Path file, Path pending) throws IOException, SQLException {
        String password = random();
        write(pending, password);
        try (PreparedStatement alter =
                c.prepareStatement("ALTER USER '" + MariaDbInstallation.USER + "'@'%' IDENTIFIED BY ?")) {
            alter.setString(1, password);
            alter.execute();
        } catch (SQLException e) {
            // older servers do not take a placeholder here: the password is ours and base64url, so it needs no escaping
            try (Statement s = c.createStatement()) {
                s.execute("ALTER USER '" + MariaDbInstallation.USER + "'@'%' IDENTIFIED BY '" + password + "'");
            }
        }
        lockRoot(c);
        keep(pending, file);
        return password;
    }

    private static void keep(Path pending, Path file) throws IOException {
        try {
            Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The template's root accounts have no password; nobody needs them once the application user exists. */
    private static void lockRoot(Connection c) throws SQLException {
        List<String> hosts = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT Host FROM mysql.user WHERE User = 'root'")) {
            while (rs.next()) {
                hosts.add(rs.getString(1));
            }
        }
        for (String host : hosts) {
            try (PreparedStatement lock =
                    c.prepareStatement("ALTER USER 'root'@'" + host.replace("'", "''") + "' ACCOUNT LOCK")) {
                lock.execute();
            }
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String value = Files.readString(file).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static void write(Path file, String value) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + file, e);
        }
        Files.writeString(file, value + "\n");
    }

    private static String random() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
