package dev.steadfast.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.WorkerSettings;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Settings bound, defaulted and refused with a message that says what to fix. */
class PropertiesTest {
    static final MariaDbServer SERVER = MariaDbServer.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SteadfastAutoConfiguration.class, DataSourceAutoConfiguration.class))
            .withUserConfiguration(Handlers.class)
            .withPropertyValues(
                    "spring.datasource.url=" + SERVER.url(JdbcDriver.MARIADB),
                    "spring.datasource.username=" + SERVER.user(),
                    "spring.datasource.password=" + SERVER.password());

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        @Bean
        JobHandler<String> noop() {
            return JobHandler.of("noop", String.class, (context, payload) -> {});
        }
    }

    @Test
    void defaultsGiveAWorkerOnTheDefaultQueueAndTheResilientDataSource() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JobQueue.class).hasSingleBean(Worker.class);
            assertThat(context.getBean(Worker.class).queues()).containsExactly("default");
            assertThat(context.getBean(DataSource.class).getClass().getName())
                    .isEqualTo("dev.steadfast.jdbc.CheckedDataSource");
        });
    }

    /**
     * The starter with nothing configured runs the worker {@code Worker.builder} builds with nothing set (and so the one
     * {@code steadfast work} runs: WorkDefaultsTest of the command line): its bound properties and the worker it builds.
     */
    @Test
    void withNothingConfiguredTheWorkerIsTheBuildersDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            Worker builderDefault = Worker.builder(context.getBean(JobQueue.class))
                    .handler(new Handlers().noop())
                    .build();
            WorkerSettings expected = builderDefault.settings();
            builderDefault.stop();
            assertThat(expected).isEqualTo(WorkerSettings.defaults());
            SteadfastProperties.Worker bound =
                    context.getBean(SteadfastProperties.class).worker();
            assertThat(bound.queues()).isEqualTo(expected.queues());
            assertThat(bound.concurrency()).isEqualTo(expected.concurrency());
            assertThat(bound.lease()).isEqualTo(expected.lease());
            assertThat(bound.shutdownGrace()).isEqualTo(expected.shutdownGrace());
            assertThat(bound.pollMin()).isEqualTo(expected.pollMin());
            assertThat(bound.pollMax()).isEqualTo(expected.pollMax());
            assertThat(bound.retention()).isEqualTo(expected.retention());
            // and what the starter does not bind it leaves to the builder
            assertThat(context.getBean(Worker.class).settings()).isEqualTo(expected);
        });
    }

    @Test
    void aWebOnlyNodeHasNoWorkerAndTheApplicationMayKeepItsOwnPool() {
        runner.withPropertyValues("steadfast.worker.enabled=false", "steadfast.datasource.primary=false")
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(JobQueue.class)
                            .doesNotHaveBean(Worker.class);
                    assertThat(context.getBean(DataSource.class).getClass().getName())
                            .isEqualTo("com.zaxxer.hikari.HikariDataSource");
                    assertThat(context.getBean(ResilientDatabase.class).dataSource())
                            .isNotSameAs(context.getBean(DataSource.class));
                });
    }

    @Test
    void badValuesAreRefusedWithWhatToFix() {
        runner.withPropertyValues("steadfast.worker.concurrency=0")
                .run(context -> assertThat(rootMessage(context.getStartupFailure()))
                        .isEqualTo("steadfast.worker.concurrency must be at least 1, got 0"));
        runner.withPropertyValues("steadfast.worker.lease=500ms")
                .run(context -> assertThat(rootMessage(context.getStartupFailure()))
                        .contains("steadfast.worker.lease must be at least 1s"));
        runner.withPropertyValues("steadfast.worker.poll-min=1s", "steadfast.worker.poll-max=100ms")
                .run(
                        context -> assertThat(rootMessage(context.getStartupFailure()))
                                .contains(
                                        "steadfast.worker.poll-max (100ms) must not be shorter than steadfast.worker.poll-min (1000ms)"));
        runner.withPropertyValues("steadfast.worker.lease=soon")
                .run(context -> assertThat(context.getStartupFailure())
                        .hasStackTraceContaining("Failed to bind properties under 'steadfast.worker.lease'"));
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example:5432/app?password=hunter2")
                .run(context -> {
                    String message = rootMessage(context.getStartupFailure());
                    assertThat(message)
                            .contains(
                                    "Steadfast needs spring.datasource.url to be a MariaDB or MySQL JDBC URL",
                                    "got 'jdbc:postgresql://db.example:5432/app?password=***'");
                });
        // settings are checked before connecting: no wait for a database that is not there
        runner.withPropertyValues("spring.datasource.url=jdbc:mysql://db.invalid:3306/app", "steadfast.worker.queues=")
                .run(context -> assertThat(rootMessage(context.getStartupFailure()))
                        .contains("steadfast.worker.queues must name 1 or more queues"));
    }

    private static String rootMessage(Throwable failure) {
        assertThat(failure).as("the context failed to start").isNotNull();
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
