package dev.steadfast.jdbc.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadfast.jdbc.PoolSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolTuningTest {
    private static final PoolSettings HIKARI_DEFAULTS =
            new PoolSettings(Duration.ofMinutes(30), Duration.ofMinutes(2), Duration.ofMinutes(10));
    private static final boolean[] NONE_EXPLICIT = {false, false, false};

    @Test
    void defaultEightHourWaitTimeoutKeepsHikariDefaults() {
        PoolTuning.Result result = PoolTuning.tune(Duration.ofHours(8), HIKARI_DEFAULTS, NONE_EXPLICIT);
        assertThat(result.settings()).isEqualTo(HIKARI_DEFAULTS);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void shortWaitTimeoutPullsLifetimeKeepaliveAndIdleBelowIt() {
        PoolTuning.Result result = PoolTuning.tune(Duration.ofSeconds(120), HIKARI_DEFAULTS, NONE_EXPLICIT);
        // margin is max(5 s, 10 %) = 12 s
        assertThat(result.settings().maxLifetime()).isEqualTo(Duration.ofSeconds(108));
        assertThat(result.settings().keepaliveTime()).isEqualTo(Duration.ofSeconds(54));
        assertThat(result.settings().idleTimeout()).isEqualTo(Duration.ofSeconds(108));
        assertThat(result.warnings()).as("defaults changed silently").isEmpty();
    }

    @Test
    void explicitSettingsThatCannotWorkAreCorrectedWithTheNumbers() {
        PoolTuning.Result result = PoolTuning.tune(
                Duration.ofSeconds(60),
                new PoolSettings(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(10)),
                new boolean[] {true, true, true});
        assertThat(result.settings().maxLifetime()).isEqualTo(Duration.ofSeconds(54));
        assertThat(result.settings().keepaliveTime())
                .as("27 s is below HikariCP's 30 s minimum")
                .isEqualTo(Duration.ZERO);
        assertThat(result.warnings()).hasSize(3);
        assertThat(result.warnings().get(0))
                .contains("maxLifetime 600000 ms")
                .contains("wait_timeout of 60 s")
                .contains("54000 ms");
        assertThat(result.warnings().get(1)).contains("keepaliveTime 300000 ms").contains("no keepalive");
    }

    @Test
    void explicitSettingsThatWorkAreKept() {
        PoolSettings mine = new PoolSettings(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(2));
        PoolTuning.Result result = PoolTuning.tune(Duration.ofHours(1), mine, new boolean[] {true, true, true});
        assertThat(result.settings()).isEqualTo(mine);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void waitTimeoutBelowWhatHikariCanHonourIsExplained() {
        PoolTuning.Result result = PoolTuning.tune(Duration.ofSeconds(2), HIKARI_DEFAULTS, NONE_EXPLICIT);
        assertThat(result.settings().maxLifetime())
                .as("HikariCP would reject anything below 30 s")
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(result.settings().keepaliveTime()).isEqualTo(Duration.ZERO);
        assertThat(result.warnings())
                .as("the server's setting is not the user's mistake")
                .isEmpty();
        assertThat(result.notes())
                .singleElement()
                .asString()
                .contains("wait_timeout is 2 s")
                .contains("liveness check")
                .contains("at least 35 s");
    }
}
