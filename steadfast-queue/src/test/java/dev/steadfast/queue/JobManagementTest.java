package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.steadfast.queue.testing.JobDrain;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Managing jobs through the Java API on a real server, with the MySQL driver (QueueBehaviourTest uses
 * MariaDB's): unique-key matches, status and deletion by id, filters, paging, typed job types with their
 * defaults, non-retryable failures and the stopping flag.
 */
@ExtendWith(SharedQueue.class)
@SharedQueue.Driver(JdbcDriver.MYSQL)
class JobManagementTest {
    private static final MariaDbServer SERVER = MariaDbServer.shared();

    @SharedQueue.Open
    private static JobQueue queue;

    record Invoice(long number, String customer) {}

    private static final JobType<Invoice> INVOICE =
            JobType.of("invoice", Invoice.class).maxAttempts(5).retryBackoff(RetryBackoff.fixed(Duration.ofMillis(50)));

    @Test
    void submitSaysWhenAUniqueKeyMatchedALiveJob() throws Exception {
        String name = QueueTestSupport.uniqueQueue("unique");
        JobRequest request = JobRequest.of("noop")
                .queue(name)
                .uniqueKey("report-2026-11")
                .delay(Duration.ofHours(1))
                .build();
        Enqueued first = queue.submit(request);
        Enqueued second = queue.submit(request);
        assertThat(first.matchedExisting()).isFalse();
        assertThat(second.matchedExisting()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(queue.enqueue(request)).as("enqueue keeps returning the id").isEqualTo(first.id());
        assertThat(queue.count(JobFilter.all().queue(name), 100)).isEqualTo(1);

        assertThat(queue.browser().job(first.id()).orElseThrow().status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(queue.runNow(first.id())).isTrue();
        assertThat(queue.browser().job(first.id()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        assertThat(queue.runNow(first.id())).as("already due").isFalse();
        assertThat(queue.forgetFailed(first.id()))
                .as("a pending job is not forgotten as failed")
                .isFalse();
        assertThat(queue.delete(JobFilter.all().queue(name).status(JobStatus.SUCCEEDED)))
                .as("nor deleted as succeeded")
                .isZero();
        assertThat(queue.browser().job(first.id())).isPresent();

        assertThat(queue.delete(first.id())).isTrue();
        assertThat(queue.browser().job(first.id())).isEmpty();
        assertThat(queue.delete(first.id())).isFalse();
        assertThat(queue.submit(request).matchedExisting())
                .as("the key is free again")
                .isFalse();
    }

    @Test
    void filtersPagesAndBulkDeletion() throws Exception {
        String name = QueueTestSupport.uniqueQueue("filters");
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            requests.add(JobRequest.of(i % 5 == 0 ? "report.monthly" : "mail.send")
                    .queue(name)
                    .delay(Duration.ofMinutes(60 - i))
                    .build());
        }
        List<Long> ids = queue.enqueueAll(requests);

        JobFilter scheduled = JobFilter.all().status(JobStatus.SCHEDULED).queue(name);
        JobPage first = queue.browser().page(scheduled, null, 10);
        assertThat(first.total()).isEqualTo(25);
        assertThat(first.totalCapped()).isFalse();
        assertThat(first.jobs()).hasSize(10);
        assertThat(first.jobs().get(0).id())
                .as("scheduled jobs: the next to run first")
                .isEqualTo(ids.get(24));
        List<Long> seen = new ArrayList<>();
        for (JobPage page = first; ; page = queue.browser().page(scheduled, page.next(), 10)) {
            page.jobs().forEach(j -> seen.add(j.id()));
            assertThat(page.jobs()).isSortedAccordingTo((a, b) -> a.runAt().compareTo(b.runAt()));
            if (page.next() == null) {
                break;
            }
        }
        assertThat(seen)
                .as("every job once, none twice")
                .hasSize(25)
                .doesNotHaveDuplicates()
                .containsAll(ids);

        assertThat(queue.browser()
                        .page(JobFilter.all().queue(name).search("report"), null, 50)
                        .jobs())
                .hasSize(5)
                .allSatisfy(j -> assertThat(j.type()).isEqualTo("report.monthly"));
        assertThat(queue.browser()
                        .page(JobFilter.all().queue(name).search(Long.toString(ids.get(3))), null, 50)
                        .jobs())
                .extracting(JobView::id)
                .containsExactly(ids.get(3));
        assertThat(queue.browser()
                        .page(JobFilter.all().queue(name).search("%"), null, 50)
                        .jobs())
                .as("LIKE wildcards in a search are plain text")
                .isEmpty();
        assertThat(queue.count(JobFilter.all().queue(name).type("mail.send"), 100))
                .isEqualTo(20);
        assertThat(queue.count(JobFilter.all().queue(name), 7))
                .as("counts stop at the cap")
                .isEqualTo(7);

        // a search within a status, paged by cursor (what the list calls of earlier releases did, in one way)
        JobFilter reports = scheduled.search("report");
        List<Long> reportIds = new ArrayList<>();
        for (JobPage page = queue.browser().page(reports, null, 2);
                ;
                page = queue.browser().page(reports, page.next(), 2)) {
            assertThat(page.jobs())
                    .hasSizeLessThanOrEqualTo(2)
                    .allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.SCHEDULED));
            page.jobs().forEach(j -> reportIds.add(j.id()));
            if (page.next() == null) {
                break;
            }
        }
        assertThat(reportIds)
                .as("the next to run first")
                .containsExactly(ids.get(20), ids.get(15), ids.get(10), ids.get(5), ids.get(0));

        assertThat(queue.delete(JobFilter.all().queue(name).type("report.monthly")))
                .isEqualTo(5);
        assertThat(queue.delete(JobFilter.all().queue(name).olderThan(Duration.ofHours(1))))
                .as("all are younger")
                .isZero();
        assertThat(queue.delete(JobFilter.all().queue(name))).isEqualTo(20);
        assertThat(queue.count(JobFilter.all().queue(name), 100)).isZero();
        assertThatThrownBy(() -> JobFilter.all().state("done"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown state 'done'");
    }

    @Test
    void aJobTypeCarriesItsDefaultsAndANonRetryableFailureEndsTheJobAtOnce() throws Exception {
        String name = QueueTestSupport.uniqueQueue("typed");
        AtomicInteger attempts = new AtomicInteger();
        long flaky = queue.enqueue(
                INVOICE.request(new Invoice(1, "flaky")).queue(name).build());
        long refused = queue.enqueue(
                INVOICE.request(new Invoice(2, "refused")).queue(name).build());
        assertThat(queue.browser().job(flaky).orElseThrow().maxAttempts())
                .as("the type's default")
                .isEqualTo(5);
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(INVOICE.handler((ctx, invoice) -> {
                    attempts.incrementAndGet();
                    if (invoice.customer().equals("refused")) {
                        throw new NonRetryableException("card refused for invoice " + invoice.number());
                    }
                    if (ctx.attempt() < 3) {
                        throw new IllegalStateException("try again");
                    }
                }))
                .build();
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> queue.stats().queues().get(name).succeeded() == 1
                            && queue.stats().queues().get(name).failed() == 1);
        } finally {
            worker.stop();
            worker.awaitTermination(Duration.ofSeconds(20));
        }
        assertThat(queue.browser().job(flaky).orElseThrow().history())
                .extracting(JobAttempt::outcome)
                .containsExactly("retried", "retried", "succeeded");
        FailedJob failed = queue.browser().failure(refused, Integer.MAX_VALUE).orElseThrow();
        assertThat(failed.attempts())
                .as("no retries after a NonRetryableException")
                .isEqualTo(1);
        assertThat(failed.message()).isEqualTo("card refused for invoice 2");
        assertThat(attempts).hasValue(4);

        long retried = queue.retryFailed(JobFilter.all().queue(name).errorContaining("card refused"));
        assertThat(retried).isEqualTo(1);
        assertThat(queue.browser().job(refused).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        assertThat(queue.browser().failure(refused, Integer.MAX_VALUE)).isEmpty();
        assertThat(queue.delete(JobFilter.all().queue(name))).isEqualTo(2);
    }

    @Test
    void aDrainRunsWhatATestEnqueuedThroughTheRealHandlers() throws Exception {
        String name = QueueTestSupport.uniqueQueue("drain");
        JobType<Invoice> slowRetries = INVOICE.retryBackoff(RetryBackoff.fixed(Duration.ofHours(1)))
                .queue(name)
                .maxAttempts(2);
        JobType<Invoice> receipt = JobType.of("receipt", Invoice.class).queue(name);
        long ok = queue.enqueue(slowRetries.request(new Invoice(1, "ok")).build());
        long flaky = queue.enqueue(slowRetries.request(new Invoice(2, "flaky")).build());
        long broken =
                queue.enqueue(slowRetries.request(new Invoice(3, "broken")).build());
        long later = queue.enqueue(slowRetries
                .request(new Invoice(4, "later"))
                .delay(Duration.ofHours(1))
                .build());
        List<Long> receipts = new CopyOnWriteArrayList<>();

        JobDrain.Result result = JobDrain.of(queue)
                .queues(name)
                .handler(slowRetries.handler((ctx, invoice) -> {
                    if (invoice.customer().equals("broken")
                            || (invoice.customer().equals("flaky") && ctx.attempt() == 1)) {
                        throw new IllegalStateException("no luck for " + invoice.customer());
                    }
                    queue.enqueue(receipt.request(invoice).build()); // a job that enqueues a job: drained too
                }))
                .handler(receipt.handler((ctx, invoice) -> receipts.add(invoice.number())))
                .run();

        assertThat(result.succeeded())
                .as("two invoices and their two receipts")
                .hasSize(4)
                .contains(ok, flaky);
        assertThat(result.failed()).containsExactly(broken);
        assertThat(result.retries())
                .as("retried at once, not after the type's hour")
                .hasSize(2);
        assertThat(receipts).containsExactlyInAnyOrder(1L, 2L);
        assertThat(queue.browser().job(later).orElseThrow().status())
                .as("a job delayed to later stays")
                .isEqualTo(JobStatus.SCHEDULED);
        assertThat(queue.delete(JobFilter.all().queue(name))).isEqualTo(6);
    }

    @Test
    void aHandlerSeesThatItsWorkerIsStopping() throws Exception {
        String name = QueueTestSupport.uniqueQueue("stopping");
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawStop = new AtomicBoolean();
        long id = queue.enqueue(JobRequest.of("long").queue(name).build());
        Worker worker = QueueTestSupport.fastWorker(queue, name)
                .handler(JobHandler.of("long", Map.class, (ctx, p) -> {
                    started.countDown();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (!ctx.isStopping() && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    sawStop.set(ctx.isStopping());
                }))
                .build();
        worker.start();
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        worker.stop();
        assertThat(worker.awaitTermination(Duration.ofSeconds(20))).isTrue();
        assertThat(sawStop).isTrue();
        assertThat(queue.browser().job(id).orElseThrow().status())
                .as("it returned within the grace period")
                .isEqualTo(JobStatus.SUCCEEDED);
    }
}
