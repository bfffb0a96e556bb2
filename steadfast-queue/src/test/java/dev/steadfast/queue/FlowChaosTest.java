package dev.steadfast.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steadfast.jdbc.ResilientDatabase;
import dev.steadfast.testkit.FaultProxy;
import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.MariaDbServer;
import dev.steadfast.testkit.PrivateMariaDb;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batch of 10,000 members with two callbacks and a diamond workflow with a 1,000-wide fan-out ({@link FlowWorkload}),
 * run by three worker JVMs (two drivers) through a fault proxy while a random worker connection is KILLed every
 * 200 ms, the server is SIGKILLed and restarted twice, and one worker JVM is SIGKILLed mid-batch (its leases expire and
 * the others take its jobs over). Afterwards every member ran once, each callback was enqueued and ran once, and the
 * fan-in ran once, after all its parents. Size: -Dsteadfast.flow.chaos.members, -Dsteadfast.flow.chaos.fanout.
 */
class FlowChaosTest {
    private static final int MEMBERS = Integer.getInteger("steadfast.flow.chaos.members", 10_000);
    private static final int FAN_OUT = Integer.getInteger("steadfast.flow.chaos.fanout", 1_000);

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @Test
    void callbacksAndTheFanInOnceThroughKillsRestartsAndAWorkerDeath() throws Exception {
        MariaDbServer server = DB.server();
        server.execute("CREATE TABLE ledger (job_id BIGINT PRIMARY KEY, at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3))");
        String name = "flow-chaos";
        FlowWorkload work = new FlowWorkload(name, MEMBERS, FAN_OUT);
        AtomicBoolean chaos = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger restarts = new AtomicInteger();
        try (ResilientDatabase db = QueueTestSupport.database(server, JdbcDriver.MARIADB);
                FaultProxy proxy = FaultProxy.inFrontOf(server)) {
            JobQueue queue = JobQueue.create(db);
            work.enqueue(queue);
            String viaProxy = server.urlVia(JdbcDriver.MARIADB, proxy.port());
            String viaProxyMysql = server.urlVia(JdbcDriver.MYSQL, proxy.port());
            try (WorkerProcess one = WorkerProcess.start(
                            server,
                            viaProxy,
                            name,
                            10,
                            4,
                            WorkerProcess.logFile("flow-chaos-worker-1").toPath());
                    WorkerProcess two = WorkerProcess.start(
                            server,
                            viaProxyMysql,
                            name,
                            10,
                            4,
                            WorkerProcess.logFile("flow-chaos-worker-2").toPath());
                    WorkerProcess doomed = WorkerProcess.start(
                            server,
                            viaProxy,
                            name,
                            5,
                            4,
                            WorkerProcess.logFile("flow-chaos-worker-3").toPath())) {
                Thread injector = new Thread(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (chaos.get()) {
                        try {
                            Thread.sleep(200);
                            long done = server.queryLong("SELECT COUNT(*) FROM ledger");
                            if ((restarts.get() == 0 && done > work.ledgerRows() / 3)
                                    || (restarts.get() == 1 && done > 2 * work.ledgerRows() / 3)) {
                                server.kill();
                                Thread.sleep(500);
                                server.start();
                                restarts.incrementAndGet();
                                continue;
                            }
                            if (doomed.alive() && work.membersFinished(server) > MEMBERS / 2) {
                                doomed.kill(); // mid-batch: its running members' leases expire, the others retake them
                            }
                            List<Long> ids = server.connectionIds();
                            if (!ids.isEmpty() && server.killConnection(ids.get(random.nextInt(ids.size())))) {
                                kills.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (SQLException | RuntimeException e) {
                            // the server is down for a moment; keep going
                        }
                    }
                });
                injector.start();
                try {
                    await("the batch, its callbacks and the diamond ended, through every fault")
                            .atMost(Duration.ofMinutes(8))
                            .pollInterval(Duration.ofSeconds(1))
                            .ignoreExceptions() // the server is restarting
                            .until(() -> work.done(queue) && restarts.get() >= 2);
                } finally {
                    chaos.set(false);
                    injector.join();
                }
                assertThat(doomed.alive())
                        .as("one worker JVM was SIGKILLed mid-batch")
                        .isFalse();
                assertThat(one.alive() && two.alive())
                        .as("the other worker JVMs survived")
                        .isTrue();
            }
            System.err.printf(
                    "flow chaos: %d members, %d-wide diamond, %d connection KILLs, %d server restarts%n",
                    MEMBERS, FAN_OUT, kills.get(), restarts.get());
            assertThat(restarts.get()).isEqualTo(2);
            assertThat(kills.get()).isGreaterThan(10);
            work.verify(queue, server);
            assertThat(server.queryLong("SELECT COUNT(*) FROM sf_job WHERE queue = '" + name
                            + "' AND last_error IS NOT NULL AND last_error NOT LIKE '%LeaseExpiredException%'"))
                    .as("no handler saw a connection error")
                    .isZero();
        }
    }
}
