package dev.steadfast.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.testkit.JdbcDriver;
import dev.steadfast.testkit.PrivateMariaDb;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 8 threads (4 per driver) run transactions for 2 minutes while a fault injector KILLs a random
 * connection every 200 ms and SIGKILLs and restarts the server once. Every transaction that returned
 * must be in the ledger exactly once, and no caller may see an error. Length: -Dsteadfast.soak.seconds.
 */
class SoakTest {
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("steadfast.soak.seconds", 120));
    private static final int THREADS = 8;

    @RegisterExtension
    static final PrivateMariaDb DB = new PrivateMariaDb();

    @Test
    void everyTransactionCountedExactlyOnceUnderKillsAndARestart() throws Exception {
        Ledger ledger = Ledger.create(DB.server());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong();
        AtomicLong kills = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> callerErrors = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
        try (ResilientDatabase mariadb =
                        Databases.open(JdbcDriver.MARIADB, DB.server(), b -> b.hikari(c -> c.setMaximumPoolSize(4)));
                ResilientDatabase mysql =
                        Databases.open(JdbcDriver.MYSQL, DB.server(), b -> b.hikari(c -> c.setMaximumPoolSize(4)))) {
            Future<?> injector = threads.submit(() -> injectFaults(running, kills));
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                ResilientDatabase db = t % 2 == 0 ? mariadb : mysql;
                String prefix = "t" + t + "-";
                workers.add(threads.submit(() -> {
                    for (long n = 0; running.get(); n++) {
                        String key = prefix + n;
                        try {
                            db.transaction(tx -> {
                                ledger.append(tx, key);
                                return null;
                            });
                            committed.incrementAndGet();
                        } catch (SQLException | RuntimeException e) {
                            callerErrors.add(e);
                        }
                    }
                }));
            }
            Thread.sleep(RUN.toMillis());
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(2, TimeUnit.MINUTES);
            }
            injector.get(1, TimeUnit.MINUTES);

            double healed =
                    Sql.counter(mariadb, "steadfast.unit.replays") + Sql.counter(mysql, "steadfast.unit.replays");
            System.err.printf(
                    "soak: %d transactions, %d connections killed, %.0f replays, %.0f commit resolutions%n",
                    committed.get(),
                    kills.get(),
                    healed,
                    Sql.counter(mariadb, "steadfast.commit.resolutions")
                            + Sql.counter(mysql, "steadfast.commit.resolutions"));
            assertThat(callerErrors).as("errors surfaced to callers").isEmpty();
            assertThat(kills.get()).as("faults were injected").isGreaterThan(RUN.toSeconds());
            assertThat(healed).as("units were actually replayed").isPositive();
            assertThat(ledger.total())
                    .as("every committed transaction, none lost, none extra")
                    .isEqualTo(committed.get());
            assertThat(ledger.duplicates()).as("no transaction applied twice").isZero();
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
    }

    private static void injectFaults(AtomicBoolean running, AtomicLong kills) {
        long started = System.nanoTime();
        boolean restarted = false;
        while (running.get()) {
            try {
                Thread.sleep(200);
                if (!restarted && System.nanoTime() - started > RUN.toNanos() / 2) {
                    restarted = true;
                    DB.server().kill();
                    Thread.sleep(1000);
                    DB.server().start();
                    continue;
                }
                List<Long> ids = DB.server().connectionIds();
                if (!ids.isEmpty()
                        && DB.server()
                                .killConnection(
                                        ids.get(ThreadLocalRandom.current().nextInt(ids.size())))) {
                    kills.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException e) {
                // the server is restarting; try again on the next tick
            }
        }
    }
}
