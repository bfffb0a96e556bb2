package dev.steadfast.queue.internal.metrics;

import dev.steadfast.queue.text.ControlCharacters;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the values one metric label may take: the first {@code limit} distinct values are kept, every
 * later one is folded into {@link #OTHER}. Queue names and job types come from whoever enqueues; without a
 * bound, a producer inventing names would grow every scrape and the registry without end.
 */
public final class LabelBudget {
    /** The value that stands for every value beyond the budget. */
    public static final String OTHER = "_other";
    /** Distinct values per label unless configured otherwise. */
    public static final int DEFAULT_LIMIT = 100;

    private final int limit;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public LabelBudget(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a label budget must allow at least 1 value, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * {@code value} when it is admitted (or fits), else {@link #OTHER}; its control characters escaped. Names are
     * checked where they enter ({@code NameRule}), but rows written before that rule may name anything, and a label
     * value must never carry a line break or an escape sequence into a scrape.
     */
    public String label(String name) {
        String value = ControlCharacters.oneLine(name);
        if (admitted.contains(value)) {
            return value;
        }
        synchronized (admitted) {
            if (admitted.size() < limit) {
                admitted.add(value);
                return value;
            }
        }
        return admitted.contains(value) ? value : OTHER;
    }
}
