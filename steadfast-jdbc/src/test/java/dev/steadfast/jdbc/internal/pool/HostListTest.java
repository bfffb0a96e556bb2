package dev.steadfast.jdbc.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which URLs Steadfast takes as a list of servers to choose a writer from, and which it leaves to the driver. */
class HostListTest {

    @Test
    void aPlainListOfHostsBecomesOneUrlPerServerWithTheSameDatabaseAndParameters() {
        HostList mariadb = HostList.parse("jdbc:mariadb://n1:3306,n2:3307, n3/app?socketTimeout=5000&a=b");
        assertThat(mariadb.chooseWriter()).isTrue();
        assertThat(mariadb.urls())
                .containsExactly(
                        "jdbc:mariadb://n1:3306/app?socketTimeout=5000&a=b",
                        "jdbc:mariadb://n2:3307/app?socketTimeout=5000&a=b",
                        "jdbc:mariadb://n3/app?socketTimeout=5000&a=b");
        assertThat(mariadb.address(1)).isEqualTo("n2:3307");

        HostList mysql = HostList.parse("jdbc:mysql://a,b/db");
        assertThat(mysql.chooseWriter()).isTrue();
        assertThat(mysql.urls()).containsExactly("jdbc:mysql://a/db", "jdbc:mysql://b/db");
    }

    @Test
    void mariadbSequentialModeIsTheSameSingleWriterOrder() {
        HostList list = HostList.parse("jdbc:mariadb:sequential://n1,n2/app");
        assertThat(list.chooseWriter()).isTrue();
        assertThat(list.urls()).containsExactly("jdbc:mariadb://n1/app", "jdbc:mariadb://n2/app");
    }

    @Test
    void oneHostAndTheDriversOwnModesAreLeftAsWritten() {
        for (String url : List.of(
                "jdbc:mariadb://n1:3306/app",
                "jdbc:mariadb:loadbalance://n1,n2/app",
                "jdbc:mariadb:replication://n1,n2/app",
                "jdbc:mysql:loadbalance://n1,n2/app",
                "jdbc:mysql:replication://n1,n2/app",
                "jdbc:mysql://address=(host=n1)(port=3306),address=(host=n2)/app",
                "jdbc:mysql://n1")) {
            HostList list = HostList.parse(url);
            assertThat(list.chooseWriter()).as(url).isFalse();
            assertThat(list.urls()).as(url).containsExactly(url);
        }
    }

    @Test
    void anEmptyHostIsAMistake() {
        assertThatThrownBy(() -> HostList.parse("jdbc:mariadb://n1,,n3/app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty host");
    }
}
