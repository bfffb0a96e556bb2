package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerTimeoutsTest {

    private static ServerTimeouts of(String version) {
        Duration eight = Duration.ofHours(8);
        return new ServerTimeouts(
                eight,
                eight,
                eight,
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                16 << 20,
                version,
                ServerFlavour.fromVersion(version));
    }

    @Test
    void skipLockedNeedsMariaDb106OrMySql8() {
        assertThat(of("10.5.27-MariaDB").supportsSkipLocked()).isFalse();
        assertThat(of("10.6.21-MariaDB-log").supportsSkipLocked()).isTrue();
        assertThat(of("11.4.5-MariaDB").supportsSkipLocked()).isTrue();
        assertThat(of("5.7.44-log").supportsSkipLocked()).isFalse();
        assertThat(of("8.0.36").supportsSkipLocked()).isTrue();
        assertThat(of("8.4.3").flavour()).isEqualTo(ServerFlavour.MYSQL);
        assertThat(of("10.11.9-MariaDB-0+deb12u1").flavour()).isEqualTo(ServerFlavour.MARIADB);
    }

    @Test
    void insertReturningNeedsMariaDb105() {
        assertThat(of("10.4.32-MariaDB").supportsInsertReturning()).isFalse();
        assertThat(of("10.5.0-MariaDB").supportsInsertReturning()).isTrue();
        assertThat(of("10.11.6-MariaDB-0+deb12u1-log").supportsInsertReturning())
                .isTrue();
        assertThat(of("11.4.5-MariaDB").supportsInsertReturning()).isTrue();
        assertThat(of("8.0.36").supportsInsertReturning()).isFalse();
        assertThat(of("8.4.0-commercial").supportsInsertReturning()).isFalse();
    }

    @Test
    void compoundStatementsAreMariaDbOnly() {
        assertThat(of("10.6.21-MariaDB-log").supportsCompoundStatements()).isTrue();
        assertThat(of("11.4.5-MariaDB").supportsCompoundStatements()).isTrue();
        assertThat(of("10.0.38-MariaDB").supportsCompoundStatements()).isFalse();
        assertThat(of("8.0.36").supportsCompoundStatements()).isFalse();
    }
}
