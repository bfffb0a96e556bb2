package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** (h) A parameter larger than max_allowed_packet fails up front, clearly, and breaks nothing. */
class PacketGuardTest {
    private static final int LIMIT = 1024 * 1024;

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb("--max-allowed-packet=" + LIMIT);

    @BeforeAll
    static void prepare() throws Exception {
        DB.server()
                .execute(
                        "CREATE TABLE blobs (id BIGINT AUTO_INCREMENT PRIMARY KEY, driver VARCHAR(16), data LONGBLOB)");
    }

    @ParameterizedTest
    @MethodSource("dev.steadfast.jdbc.Databases#drivers")
    void h_oversizedParameterFailsBeforeSendingAndNamesBothSizes(JdbcDriver driver) throws Exception {
        try (ResilientDatabase db = Databases.open(driver, DB.server())) {
            assertThat(db.serverTimeouts().maxAllowedPacket()).isEqualTo(LIMIT);
            byte[] tooBig = new byte[2 * LIMIT];

            assertThatThrownBy(() -> db.transaction(tx -> insert(tx, driver, tooBig)))
                    .isInstanceOfSatisfying(PacketTooLargeException.class, e -> {
                        assertThat(e.packetBytes()).isGreaterThanOrEqualTo(2L * LIMIT);
                        assertThat(e.maxAllowedPacket()).isEqualTo(LIMIT);
                        assertThat(e.getMessage())
                                .contains("statement of at least " + e.packetBytes() + " bytes")
                                .contains("max_allowed_packet of " + LIMIT + " bytes");
                    });
            assertThatThrownBy(() -> db.read(c -> {
                        try (Statement s = c.createStatement()) {
                            return s.executeUpdate(
                                    "INSERT INTO blobs (driver, data) VALUES ('x', '" + "a".repeat(LIMIT + 1) + "')");
                        }
                    }))
                    .isInstanceOf(PacketTooLargeException.class);

            // Raw size fits, but zero bytes are escaped on the wire and double it: still caught up front.
            assertThatThrownBy(() -> db.transaction(tx -> insert(tx, driver, new byte[LIMIT * 3 / 5])))
                    .isInstanceOf(PacketTooLargeException.class);

            assertThat(Sql.counter(db, "steadfast.unit.replays"))
                    .as("pointless to replay")
                    .isZero();
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM blobs WHERE driver = '" + driver.name() + "'"))
                    .isZero();
            // The pool is unharmed and a payload that fits still goes through.
            int inserted = db.transaction(tx -> insert(tx, driver, new byte[LIMIT / 4]));
            assertThat(inserted).isEqualTo(1);
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM blobs WHERE driver = '" + driver.name() + "'"))
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.steadfast.jdbc.Databases#drivers")
    void streamsBatchesAndClearedParametersAreGuardedToo(JdbcDriver driver) throws Exception {
        try (ResilientDatabase db = Databases.open(driver, DB.server())) {
            // a declared stream length counts; so does the text of a batched plain statement
            assertThatThrownBy(() -> db.transaction(tx -> {
                        try (PreparedStatement s =
                                tx.prepareStatement("INSERT INTO blobs (driver, data) VALUES (?, ?)")) {
                            s.setString(1, "stream");
                            s.setBinaryStream(2, new ByteArrayInputStream(new byte[2 * LIMIT]), 2L * LIMIT);
                            return s.executeUpdate();
                        }
                    }))
                    .isInstanceOf(PacketTooLargeException.class);
            assertThatThrownBy(() -> db.transaction(tx -> {
                        try (Statement s = tx.createStatement()) {
                            s.addBatch("INSERT INTO blobs (driver, data) VALUES ('batch', '" + "a".repeat(LIMIT + 1)
                                    + "')");
                            return s.executeBatch().length;
                        }
                    }))
                    .isInstanceOf(PacketTooLargeException.class);
            // clearParameters forgets an oversized value; statements hand back the guarded connection
            int inserted = db.transaction(tx -> {
                try (PreparedStatement s = tx.prepareStatement("INSERT INTO blobs (driver, data) VALUES (?, ?)")) {
                    assertThat(s.getConnection()).isSameAs(tx);
                    s.setBytes(2, new byte[2 * LIMIT]);
                    s.clearParameters();
                    s.setString(1, "cleared-" + driver.name());
                    s.setBytes(2, new byte[16]);
                    return s.executeUpdate();
                }
            });
            assertThat(inserted).isEqualTo(1);
            assertThat(DB.server().queryLong("SELECT COUNT(*) FROM blobs WHERE driver IN ('stream', 'batch')"))
                    .isZero();
        }
    }

    private static int insert(Connection tx, JdbcDriver driver, byte[] data) throws SQLException {
        try (PreparedStatement s = tx.prepareStatement("INSERT INTO blobs (driver, data) VALUES (?, ?)")) {
            s.setString(1, driver.name());
            s.setBytes(2, data);
            return s.executeUpdate();
        }
    }
}
