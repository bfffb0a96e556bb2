package dev.steadfast.queue.internal.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * The order a claim visits a worker's queues in. Strict: always as given, so a later queue gets jobs only when
 * the earlier ones have none due. Weighted: each claim draws the order anew, a queue coming first with a chance
 * proportional to its weight (as Sidekiq's weighted queues), so that no queue starves another.
 */
public final class QueueOrder {
    private final Map<String, Integer> weights; // empty: strict
    private final List<String> queues;

    private QueueOrder(List<String> queues, Map<String, Integer> weights) {
        this.queues = List.copyOf(queues);
        this.weights = weights;
    }

    public static QueueOrder strict(List<String> queues) {
        return new QueueOrder(queues, Map.of());
    }

    /** @param weights queue to weight (at least 1), in the order they were given */
    public static QueueOrder weighted(Map<String, Integer> weights) {
        weights.forEach((queue, weight) -> {
            if (weight < 1) {
                throw new IllegalArgumentException("queue weights are at least 1, got " + weight + " for " + queue);
            }
        });
        return new QueueOrder(List.copyOf(weights.keySet()), new LinkedHashMap<>(weights));
    }

    /** The queues, as given. */
    public List<String> queues() {
        return queues;
    }

    public boolean isWeighted() {
        return !weights.isEmpty();
    }

    public Map<String, Integer> weights() {
        return Map.copyOf(weights);
    }

    /** The order for the next claim. */
    public List<String> next(DoubleSupplier random) {
        if (weights.isEmpty() || queues.size() == 1) {
            return queues;
        }
        Map<String, Integer> left = new LinkedHashMap<>(weights);
        List<String> order = new ArrayList<>(queues.size());
        while (!left.isEmpty()) {
            int total = left.values().stream().mapToInt(Integer::intValue).sum();
            double pick = random.getAsDouble() * total;
            String chosen = null;
            for (Map.Entry<String, Integer> e : left.entrySet()) {
                chosen = e.getKey();
                pick -= e.getValue();
                if (pick < 0) {
                    break;
                }
            }
            order.add(chosen);
            left.remove(chosen);
        }
        return order;
    }

    @Override
    public String toString() {
        // mail, default (in that order) or mail:3, default:1 (weighted), as --queue takes them
        return weights.isEmpty()
                ? String.join(", ", queues) + (queues.size() > 1 ? " (in that order)" : "")
                : weights.entrySet().stream()
                                .map(w -> w.getKey() + ":" + w.getValue())
                                .collect(Collectors.joining(", "))
                        + " (weighted)";
    }
}
