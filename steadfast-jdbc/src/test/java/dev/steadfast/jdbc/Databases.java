package dev.steadfast.jdbc;

import dev.steadfast.testkit.ExternalDatabase;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The servers and drivers scenarios run against, and databases built on them. */
final class Databases {
    private Databases() {}

    /** Every driver against the shared private server, and against the machine's server when there is one. */
    static Stream<Arguments> matrix() {
        List<Arguments> arguments = new ArrayList<>();
        List<TestDatabase> targets = new ArrayList<>();
        targets.add(MariaDbServer.shared());
        ExternalDatabase.find().ifPresent(targets::add);
        for (TestDatabase target : targets) {
            for (JdbcDriver driver : JdbcDriver.values()) {
                arguments.add(Arguments.of(driver, target));
            }
        }
        return arguments.stream();
    }

    /** Every driver. */
    static Stream<JdbcDriver> drivers() {
        return Stream.of(JdbcDriver.values());
    }

    static ResilientDatabase.Builder builder(String url, TestDatabase database) {
        return ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(database.user())
                .password(database.password())
                .retryPolicy(RetryPolicy.DEFAULT.withDeadline(Duration.ofSeconds(30)));
    }

    static ResilientDatabase open(JdbcDriver driver, TestDatabase database) throws Exception {
        return builder(database.url(driver), database).build();
    }

    static ResilientDatabase open(JdbcDriver driver, TestDatabase database, Consumer<ResilientDatabase.Builder> tweak)
            throws Exception {
        ResilientDatabase.Builder builder = builder(database.url(driver), database);
        tweak.accept(builder);
        return builder.build();
    }
}
