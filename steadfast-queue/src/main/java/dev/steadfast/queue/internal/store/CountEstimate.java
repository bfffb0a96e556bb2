package dev.steadfast.queue.internal.store;

/**
 * Turns the optimizer's row estimates for index ranges ("dives", as {@code EXPLAIN} reports them) into counts.
 * A dive into a large range can be off by 2x on its own (InnoDB extrapolates from the pages it touches), but
 * dives into ranges of one table err alike, and the table's own row count is kept current by InnoDB. So the
 * rows that exact counting did not account for are shared out among the large ranges in proportion to their
 * dives: with one large range, its estimate is the table's rows minus everything counted exactly.
 */
final class CountEstimate {
    private final double scale;
    private final long floor;

    /**
     * @param tableRows    the table's estimated row count
     * @param countedExact the rows counted exactly (the small ranges)
     * @param divesTotal   the sum of the dives into the large ranges
     * @param floor        the least a large range can hold (it was found larger than the exact-count bound)
     */
    CountEstimate(long tableRows, long countedExact, long divesTotal, long floor) {
        long rest = tableRows - countedExact;
        // statistics that lag behind a burst of changes can be far off: then trust the dives within 4x
        this.scale = divesTotal <= 0 || rest <= 0 ? 1.0 : Math.max(0.25, Math.min(4.0, (double) rest / divesTotal));
        this.floor = floor;
    }

    /**
     * The estimated count of a large range whose dive said {@code dive} rows, to three significant digits: the
     * figure should not look more precise than it is.
     */
    long of(long dive) {
        return Math.max(floor, significant(Math.round(dive * scale), 3));
    }

    static long significant(long n, int digits) {
        if (n <= 0) {
            return 0;
        }
        long unit = 1;
        while (n / unit >= (long) Math.pow(10, digits)) {
            unit *= 10;
        }
        return Math.round((double) n / unit) * unit;
    }
}
