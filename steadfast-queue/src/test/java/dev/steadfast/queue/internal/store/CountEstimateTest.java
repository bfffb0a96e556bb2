package dev.steadfast.queue.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountEstimateTest {

    @Test
    void largeRangesShareWhatExactCountsLeftInProportionToTheirDives() {
        // 3,000,000 rows, 12 counted exactly; dives say 4.23M and 2.11M where the truth is 2M and 1M (InnoDB's 2x-ish
        // error)
        CountEstimate estimate = new CountEstimate(3_000_012, 12, 6_340_000, 10_001);
        assertThat(estimate.of(4_230_000)).isEqualTo(2_000_000);
        assertThat(estimate.of(2_110_000)).isEqualTo(998_000);
    }

    @Test
    void figuresHaveThreeSignificantDigitsAndNeverFallToTheExactBound() {
        assertThat(CountEstimate.significant(123_456, 3)).isEqualTo(123_000);
        assertThat(CountEstimate.significant(987, 3)).isEqualTo(987);
        assertThat(CountEstimate.significant(99_950, 3)).isEqualTo(100_000);
        assertThat(new CountEstimate(0, 0, 0, 10_001).of(9_000))
                .as("stale statistics")
                .isEqualTo(10_001);
    }

    @Test
    void statisticsFarOffAreTrustedOnlyWithin4x() {
        CountEstimate estimate = new CountEstimate(100_000_000, 0, 1_000_000, 10_001);
        assertThat(estimate.of(1_000_000)).isEqualTo(4_000_000);
    }
}
