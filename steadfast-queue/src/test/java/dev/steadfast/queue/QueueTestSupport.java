package dev.steadfast.queue;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** Opening databases and queues on test servers. */
final class QueueTestSupport {
    private QueueTestSupport() {}

    static ResilientDatabase database(TestDatabase server, JdbcDriver driver) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(server.url(driver))
                .username(server.user())
                .password(server.password())
                .build();
    }

    /** A database reached through a fault proxy, for tests that cut connections. */
    static ResilientDatabase databaseVia(TestDatabase server, JdbcDriver driver, FaultProxy proxy) throws SQLException {
        return ResilientDatabase.builder()
                .jdbcUrl(server.urlVia(driver, proxy.port()))
                .username(server.user())
                .password(server.password())
                .build();
    }

    /** A queue name of its own per test, so tests sharing a server do not see each other's jobs. */
    static String uniqueQueue(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    static Worker.Builder fastWorker(JobQueue queue, String queueName) {
        return Worker.builder(queue)
                .queues(List.of(queueName))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .retryBackoff(RetryBackoff.fixed(Duration.ofMillis(100)))
                .shutdownGrace(Duration.ofSeconds(5));
    }
}
