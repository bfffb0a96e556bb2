package dev.steadfast.jdbc.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.net.ConnectException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The writer's choice among servers whose role the opener makes up (the connections themselves are real): the first
 * that takes writes, kept while it does, left for the next when it refuses, and returned to once it takes writes again.
 */
class WriterSelectorTest {
    private static final HostList THREE = HostList.parse("jdbc:mariadb://n1,n2,n3/app");
    private final MariaDbServer server = MariaDbServer.shared();
    private final NodeFacts[] roles = {writable(), writable(), writable()};
    private final boolean[] down = new boolean[3];
    private final List<Integer> opened = new ArrayList<>();

    private static NodeFacts writable() {
        return new NodeFacts(false, true, true, "uuid", "Primary, Synced");
    }

    private WriterSelector.Opened open(int host) throws SQLException {
        opened.add(host);
        if (down[host]) {
            throw new SQLException("refused", "08001", new ConnectException("Connection refused"));
        }
        return new WriterSelector.Opened(
                DriverManager.getConnection(server.url(JdbcDriver.MARIADB), server.user(), server.password()),
                new TrackedSession(host, null, null, host, roles[host]));
    }

    @Test
    void everyConnectionGoesToTheFirstServerWhileItTakesWrites() throws SQLException {
        WriterSelector selector = new WriterSelector(THREE);
        for (int i = 0; i < 3; i++) {
            try (var c = selector.open(this::open).connection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        assertThat(opened).containsExactly(0, 0, 0);
        assertThat(selector.current()).isZero();
    }

    @Test
    void aDeadOrUnreadyWriterIsLeftForTheNextAndTheMoveIsAnnounced() throws SQLException {
        WriterSelector selector = new WriterSelector(THREE);
        AtomicInteger moves = new AtomicInteger();
        selector.onChange(() -> {}, moves::incrementAndGet);
        down[0] = true;
        roles[1] = new NodeFacts(false, true, false, "uuid", "non-Primary, Initialized");
        selector.open(this::open).connection().close();
        assertThat(opened).containsExactly(0, 1, 2);
        assertThat(selector.current()).isEqualTo(2);
        assertThat(moves).hasValue(1);

        opened.clear();
        selector.open(this::open).connection().close();
        assertThat(opened).as("the new writer is kept").containsExactly(2);
    }

    @Test
    void aServerThatFailedLatelyIsTriedAfterTheOthers() throws SQLException {
        WriterSelector selector = new WriterSelector(THREE);
        roles[0] = new NodeFacts(true, false, true, null, null); // read-only: a replica now
        selector.open(this::open).connection().close();
        assertThat(selector.current()).isEqualTo(1);
        roles[0] = writable();
        selector.failed(1); // and the writer refuses work
        opened.clear();
        selector.open(this::open).connection().close();
        assertThat(opened)
                .as("the first failed lately too: the third is tried first")
                .containsExactly(2);
        selector.failback(this::open);
        assertThat(selector.current())
                .as("no failback to servers that failed lately")
                .isEqualTo(2);
    }

    @Test
    void failbackReturnsToTheFirstServerOnceItTakesWritesAgain() throws SQLException {
        WriterSelector selector = new WriterSelector(THREE, Duration.ZERO);
        AtomicInteger moves = new AtomicInteger();
        selector.onChange(() -> {}, moves::incrementAndGet);
        down[0] = true;
        selector.open(this::open).connection().close();
        assertThat(selector.current()).isEqualTo(1);
        selector.failback(this::open);
        assertThat(selector.current()).as("still down").isEqualTo(1);
        down[0] = false;
        selector.failback(this::open);
        assertThat(selector.current()).isZero();
        assertThat(moves)
                .as("away and back, each announced so the pool drops the old writer's connections")
                .hasValue(2);
    }

    @Test
    void aWriterTurnedReadOnlyWhileNothingWritesIsNoticedByTheCheck() throws SQLException {
        WriterSelector selector = new WriterSelector(THREE);
        AtomicInteger evictions = new AtomicInteger();
        selector.onChange(evictions::incrementAndGet, () -> {});
        selector.open(this::open).connection().close();
        selector.confirm(this::open);
        assertThat(evictions).as("still writable: nothing to do").hasValue(0);
        roles[0] = new NodeFacts(true, false, true, null, null); // a switchover made it a replica
        selector.confirm(this::open);
        assertThat(evictions).as("the pool drops its connections to it").hasValue(1);
        opened.clear();
        selector.open(this::open).connection().close();
        assertThat(opened).containsExactly(1);
        assertThat(evictions).as("and again when the writer moved").hasValue(2);
        down[1] = true;
        selector.confirm(this::open);
        assertThat(evictions).as("an unreachable writer is the units' to find").hasValue(2);
    }

    @Test
    void whenNoServerTakesWritesTheErrorSaysWhyForEach() {
        WriterSelector selector = new WriterSelector(THREE);
        for (int i = 0; i < 3; i++) {
            roles[i] = new NodeFacts(true, false, true, null, null);
        }
        SQLException readOnly = catchThrowableOfType(SQLException.class, () -> selector.open(this::open));
        assertThat(readOnly.getErrorCode())
                .as("classified as read-only: find the new primary")
                .isEqualTo(1290);
        assertThat(readOnly.getMessage()).contains("n1: read-only").contains("n3: read-only");

        down[0] = down[1] = down[2] = true;
        SQLException unreachable = catchThrowableOfType(SQLException.class, () -> selector.open(this::open));
        assertThat(unreachable.getSQLState()).isEqualTo("08001");
        assertThat(unreachable.getCause()).isInstanceOf(SQLException.class);
    }
}
