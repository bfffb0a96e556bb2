package dev.steadfast.queue.internal.flow;

import dev.steadfast.queue.DependencyException;
import dev.steadfast.queue.NameRule;
import dev.steadfast.queue.WorkflowRequest;
import dev.steadfast.queue.WorkflowRequest.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow's steps checked and put in an order where every step comes after the steps it runs after (Kahn's
 * algorithm, stable: steps keep their declared order where they may). Parents so get smaller job ids than their
 * children, and every lock taken parent first is taken in id order, which is what keeps a workflow's transactions
 * free of deadlocks.
 */
public final class StepOrder {
    private StepOrder() {}

    /** The steps in dependency order; refuses names, cycles and undeclared steps with one line each. */
    public static List<Step> sorted(String workflow, List<Step> steps) {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("workflow '" + workflow + "' has no steps");
        }
        if (steps.size() > WorkflowRequest.MAX_STEPS) {
            throw new IllegalArgumentException("workflow '" + workflow + "' has " + steps.size() + " steps; at most "
                    + WorkflowRequest.MAX_STEPS + " are allowed");
        }
        Map<String, Step> byName = new LinkedHashMap<>();
        for (Step step : steps) {
            if (!NameRule.allows(step.name(), WorkflowRequest.MAX_STEP_NAME)) {
                throw new IllegalArgumentException("a step name has 1 to " + WorkflowRequest.MAX_STEP_NAME
                        + " characters (" + NameRule.ALLOWED + "), got '" + step.name() + "' in workflow '" + workflow
                        + "'");
            }
            if (byName.put(step.name(), step) != null) {
                throw new DependencyException(
                        "workflow '" + workflow + "' declares step '" + step.name() + "' twice: step names are unique");
            }
            if (step.job() != null && !step.job().after().isEmpty()) {
                throw new IllegalArgumentException("step '" + step.name() + "' of workflow '" + workflow
                        + "' runs after job ids: a step runs after steps, by name");
            }
            if (step.job() != null && step.job().uniqueKey() != null) {
                throw new IllegalArgumentException(
                        "step '" + step.name() + "' of workflow '" + workflow + "' has a unique key: steps cannot");
            }
        }
        Map<String, Integer> unmet = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (Step step : steps) {
            Set<String> seen = new HashSet<>();
            for (String parent : step.after()) {
                if (!byName.containsKey(parent)) {
                    throw new DependencyException("step '" + step.name() + "' of workflow '" + workflow
                            + "' runs after '" + parent + "', which is not a step of it");
                }
                if (parent.equals(step.name())) {
                    throw new DependencyException(
                            "step '" + step.name() + "' of workflow '" + workflow + "' runs after itself (a cycle)");
                }
                if (seen.add(parent)) {
                    unmet.merge(step.name(), 1, Integer::sum);
                    children.computeIfAbsent(parent, p -> new ArrayList<>()).add(step.name());
                }
            }
        }
        List<Step> order = new ArrayList<>(steps.size());
        Deque<String> ready = new ArrayDeque<>();
        for (Step step : steps) {
            if (!unmet.containsKey(step.name())) {
                ready.add(step.name());
            }
        }
        while (!ready.isEmpty()) {
            String name = ready.poll();
            Step step = byName.get(name);
            order.add(new Step(
                    step.name(),
                    step.job(),
                    step.after().stream().distinct().toList(),
                    step.onFailure(),
                    step.batch()));
            for (String child : children.getOrDefault(name, List.of())) {
                if (unmet.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        if (order.size() < steps.size()) {
            throw new DependencyException(
                    "workflow '" + workflow + "' has a cycle: " + String.join(" -> ", cycle(byName, unmet)));
        }
        return List.copyOf(order);
    }

    /** One cycle among the steps left unsorted (each has a parent left unsorted), as names, first repeated last. */
    private static List<String> cycle(Map<String, Step> byName, Map<String, Integer> unmet) {
        String at = unmet.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey)
                .filter(byName::containsKey)
                .sorted()
                .findFirst()
                .orElseThrow();
        List<String> path = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        while (!index.containsKey(at)) {
            index.put(at, path.size());
            path.add(at);
            String current = at;
            at = byName.get(current).after().stream()
                    .filter(p -> unmet.getOrDefault(p, 0) > 0)
                    .findFirst()
                    .orElseThrow();
        }
        List<String> loop = new ArrayList<>(path.subList(index.get(at), path.size()));
        loop.add(at);
        // the walk goes child to parent; say it parent first, as the steps run
        Collections.reverse(loop);
        return loop;
    }
}
