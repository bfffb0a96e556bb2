package dev.steadfast.spring;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.queue.JobHandler;
import dev.steadfast.queue.JobQueue;
import dev.steadfast.queue.Schedule;
import dev.steadfast.queue.Worker;
import dev.steadfast.queue.events.WorkerListener;
import dev.steadfast.queue.notify.LogNotifier;
import dev.steadfast.queue.notify.NotificationDispatcher;
import dev.steadfast.queue.notify.Notifier;
import dev.steadfast.queue.notify.WebhookFormat;
import dev.steadfast.queue.notify.WebhookNotifier;
import dev.steadfast.queue.text.Redactor;
import dev.steadfast.web.DashboardServlet;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Steadfast in a Spring Boot application: a {@link ResilientDatabase} on {@code spring.datasource.*} (by default also
 * the application's {@code DataSource}), a {@link JobQueue} that joins Spring-managed transactions, a {@link Worker}
 * running every {@link JobHandler} bean in the application's lifecycle, a {@link ResilientTransactionTemplate}, and
 * with the actuator a {@code steadfast} health indicator and endpoint. Meters go to the application's registry.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(JobQueue.class)
@EnableConfigurationProperties({SteadfastProperties.class, DataSourceProperties.class})
public class SteadfastAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SteadfastAutoConfiguration.class);

    /** Connects after Steadfast's settings are bound, so that a bad value is reported before any wait for the database. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ResilientDatabase steadfastDatabase(
            DataSourceProperties dataSource,
            SteadfastProperties settings,
            Environment environment,
            ObjectProvider<MeterRegistry> meters)
            throws SQLException {
        String url = dataSource.getUrl();
        if (url == null || !(url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:"))) {
            throw new IllegalStateException("Steadfast needs spring.datasource.url to be a MariaDB or MySQL JDBC URL"
                    + " (jdbc:mariadb://host:3306/db or jdbc:mysql://host:3306/db), got "
                    + (url == null
                            ? "none"
                            : "'" + url.replaceAll("//[^/@]*@", "//***@").replaceAll("(?i)(password=)[^&;]*", "$1***")
                                    + "'"));
        }
        ResilientDatabase.Builder builder = ResilientDatabase.builder()
                .jdbcUrl(url)
                .username(dataSource.determineUsername())
                .password(dataSource.determinePassword())
                // the pool's own settings (size, timeouts) as Spring Boot users write them; Steadfast then tunes the
                // lifetimes to the server's timeouts
                .hikari(config ->
                        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(config)));
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            builder.meterRegistry(registry);
        }
        return builder.build();
    }

    /** The application's DataSource: the resilient pool (connections checked alive when borrowed). */
    @Bean(destroyMethod = "") // closed with the ResilientDatabase
    @ConditionalOnMissingBean(DataSource.class)
    @ConditionalOnProperty(
            prefix = "steadfast.datasource",
            name = "primary",
            havingValue = "true",
            matchIfMissing = true)
    DataSource dataSource(ResilientDatabase db) {
        return db.dataSource();
    }

    @Bean
    @ConditionalOnMissingBean
    JobQueue jobQueue(
            ResilientDatabase db, SteadfastProperties properties, ObjectProvider<DataSource> applicationDataSource) {
        JobQueue queue = properties.migrate() ? JobQueue.create(db) : JobQueue.existing(db);
        DataSource application = applicationDataSource.getIfUnique();
        if (application == null) {
            // no single DataSource to find Spring's transactions by: say so, rather than let a job commit on its own
            LOG.warn(
                    "the application has several DataSources (or none): JobQueue.enqueue joins no Spring transaction; declare"
                            + " a JobQueue bean with queue.joining(new SpringTransactions(dataSource)) for the DataSource jobs belong with");
            return queue;
        }
        return queue.joining(new SpringTransactions(application));
    }

    /**
     * Installs the SIGTERM handler as the first thing the context starts, before the worker can take a job (a SIGTERM
     * from then on ends the process with 0 after the graceful shutdown).
     */
    @Bean
    @ConditionalOnProperty(
            prefix = "steadfast",
            name = "exit-zero-on-sigterm",
            havingValue = "true",
            matchIfMissing = true)
    SigtermExit steadfastSigtermExit() {
        return new SigtermExit();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilientTransactionTemplate resilientTransactionTemplate(ResilientDatabase db) {
        return new ResilientTransactionTemplate(db);
    }

    /** The worker, when the application has job handlers and {@code steadfast.worker.enabled} is not false. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "steadfast.worker", name = "enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnBean(JobHandler.class)
    static class WorkerConfiguration {

        @Bean(destroyMethod = "") // stopped by its lifecycle, in Spring's shutdown phase
        Worker steadfastWorker(
                JobQueue queue,
                SteadfastProperties properties,
                ObjectProvider<JobHandler<?>> handlers,
                ObjectProvider<Schedule> schedules,
                ObjectProvider<WorkerListener> listeners,
                ObjectProvider<NotificationDispatcher> notifications,
                ApplicationEventPublisher events) {
            SteadfastProperties.Worker settings = properties.worker();
            Worker.Builder builder = Worker.builder(queue)
                    .queues(settings.queues())
                    .concurrency(settings.concurrency())
                    .lease(settings.lease())
                    .shutdownGrace(settings.shutdownGrace())
                    .pollInterval(settings.pollMin(), settings.pollMax())
                    .retention(settings.retention())
                    .maxResultBytes(settings.maxResultBytes());
            handlers.orderedStream().forEach(handler -> {
                builder.handler(handler);
                RecurringSchedules.of(handler).ifPresent(builder::schedule);
            });
            schedules.orderedStream().forEach(builder::schedule);
            listeners.orderedStream().forEach(builder::listener);
            notifications.ifAvailable(builder::listener);
            if (properties.publishEvents()) {
                builder.listener(events::publishEvent);
            }
            return builder.build();
        }

        @Bean
        WorkerLifecycle steadfastWorkerLifecycle(Worker worker, SteadfastProperties properties) {
            return new WorkerLifecycle(worker, properties.worker().shutdownGrace());
        }

        /** The worker's notifications (a listener of the worker's events, and a watch on the database's reachability). */
        @Bean(destroyMethod = "close")
        @ConditionalOnExpression(
                "${steadfast.notifications.log:false} or '${steadfast.notifications.webhook-url:}' != ''")
        NotificationDispatcher steadfastNotifications(
                SteadfastProperties properties, ResilientDatabase db, DataSourceProperties dataSource) {
            SteadfastProperties.Notifications settings = properties.notifications();
            // what the application knows to be secret never leaves in a message
            Redactor.registerSecret(dataSource.determinePassword());
            Redactor.registerUrlSecrets(dataSource.getUrl());
            List<Notifier> notifiers = new ArrayList<>();
            if (settings.log()) {
                notifiers.add(new LogNotifier());
            }
            if (settings.webhookUrl() != null) {
                Redactor.registerSecret(settings.webhookUrl().toString());
                notifiers.add(
                        new WebhookNotifier(settings.webhookUrl(), WebhookFormat.parse(settings.webhookFormat())));
            }
            NotificationDispatcher dispatcher =
                    new NotificationDispatcher(notifiers, settings.policy(), Redactor::process, Clock.systemUTC());
            dispatcher.watch(db::connectionHealth);
            return dispatcher;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "steadfastHealthIndicator")
        HealthIndicator steadfastHealthIndicator(JobQueue queue, ObjectProvider<Worker> worker) {
            return new SteadfastHealthIndicator(queue, worker.getIfAvailable(), Clock.systemUTC());
        }
    }

    /** The dashboard in the application's servlet container, when asked for and steadfast-web is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.steadfast.web.DashboardServlet")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnProperty(prefix = "steadfast.dashboard", name = "enabled", havingValue = "true")
    static class DashboardConfiguration {
        @Bean
        ServletRegistrationBean<DashboardServlet> steadfastDashboard(
                JobQueue queue, ObjectProvider<Worker> worker, SteadfastProperties properties) {
            SteadfastProperties.Dashboard settings = properties.dashboard();
            ServletRegistrationBean<DashboardServlet> registration = new ServletRegistrationBean<>(
                    new DashboardServlet(queue, worker.getIfAvailable(), settings.readOnly()),
                    settings.path(),
                    settings.path() + "/*");
            registration.setName("steadfastDashboard");
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        SteadfastEndpoint steadfastEndpoint(JobQueue queue, ObjectProvider<Worker> worker) {
            return new SteadfastEndpoint(queue, worker.getIfAvailable());
        }
    }
}
