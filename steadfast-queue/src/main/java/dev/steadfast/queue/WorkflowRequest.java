package dev.steadfast.queue;

import dev.steadfast.queue.internal.flow.StepOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workflow to enqueue: a named DAG of steps, each an ordinary job (or a batch: {@link Builder#step(String,
 * BatchRequest, String...)}) that runs after the steps it names (fan-out, fan-in, diamonds). Declared at once and enqueued in one transaction; a cycle, a step that runs after a step the
 * workflow does not declare, or a name used twice is refused by {@link Builder#build()} with a
 * {@link DependencyException} (or an {@link IllegalArgumentException} for a bad name).
 *
 * <pre>{@code
 * EnqueuedWorkflow order = queue.workflows().enqueue(WorkflowRequest.named("order")
 *         .step("charge", JobRequest.of("charge").payload(order).build())
 *         .step("ship", JobRequest.of("ship").payload(order).build(), "charge")
 *         .step("invoice", JobRequest.of("invoice").payload(order).build(), "charge")
 *         .step("notify", JobRequest.of("notify").payload(order).build(), "ship", "invoice")
 *         .onFailure(FailurePolicy.CANCEL_DEPENDENTS)
 *         .build());
 * }</pre>
 *
 * @param name      what kind of workflow it is (1 to {@value #MAX_NAME} characters: {@link NameRule#ALLOWED})
 * @param onFailure what a step does when a step it runs after fails or is cancelled, unless it says otherwise
 * @param steps     the steps, in an order where each comes after the steps it runs after (the order ids are given in)
 */
public record WorkflowRequest(String name, FailurePolicy onFailure, List<Step> steps) {
    /** The longest workflow name ({@code sf_workflow.name}). */
    public static final int MAX_NAME = 200;
    /** The longest step name ({@code sf_job.step_name}). */
    public static final int MAX_STEP_NAME = 100;
    /** The most steps one workflow may have. */
    public static final int MAX_STEPS = 10_000;

    /**
     * One step: a job, or a batch.
     *
     * <p>A batch step is written at the workflow's enqueue, in its transaction: its batch's stand-in job (type {@code
     * steadfast.batch}, state {@code waiting}) is the step's job, and the batch's members (nested batches' too) are
     * held ({@code waiting}) until the step's last parent succeeds, when they are all released in that parent's
     * transaction (at once for a step that runs after none). The step ends as its batch ends (succeeded, failed or
     * cancelled), after the batch's callbacks were enqueued, and that end releases the steps that run after it. A
     * failure policy or a workflow cancel that cancels the step cancels its batch.
     *
     * @param name      its name, unique in the workflow
     * @param job       the job it runs (no unique key, no {@code after} of its own: {@code after} names steps), or null
     *                  for a batch step
     * @param after     the steps it runs after, by name
     * @param onFailure its own policy, or null for the workflow's
     * @param batch     the batch it runs (at least one member, not kept open), or null for a job step
     */
    public record Step(String name, JobRequest job, List<String> after, FailurePolicy onFailure, BatchRequest batch) {
        public Step {
            if ((job == null) == (batch == null)) {
                throw new IllegalArgumentException(
                        "step '" + name + "' runs a job or a batch: give exactly one of them");
            }
            if (batch != null && (batch.size() == 0 || batch.open())) {
                throw new IllegalArgumentException("the batch of step '" + name + "' "
                        + (batch.open()
                                ? "is kept open: a step's batch ends when its members have"
                                : "has no members"));
            }
            after = List.copyOf(after);
        }

        /** A step that runs a job. */
        public Step(String name, JobRequest job, List<String> after, FailurePolicy onFailure) {
            this(name, Objects.requireNonNull(job, "job"), after, onFailure, null);
        }
    }

    public WorkflowRequest {
        Objects.requireNonNull(onFailure, "onFailure");
        if (!NameRule.allows(name, MAX_NAME)) {
            throw new IllegalArgumentException("a workflow name has 1 to " + MAX_NAME + " characters ("
                    + NameRule.ALLOWED + "), got '" + name + "'");
        }
        steps = StepOrder.sorted(name, steps);
    }

    /** Starts a workflow of this name. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Builds {@link WorkflowRequest}s. */
    public static final class Builder {
        private final String name;
        private final Map<String, Step> steps = new LinkedHashMap<>();
        private final List<String> repeated = new ArrayList<>();
        private final Map<String, FailurePolicy> policies = new LinkedHashMap<>();
        private FailurePolicy onFailure = FailurePolicy.CANCEL_DEPENDENTS;

        private Builder(String name) {
            this.name = name;
        }

        /** A step that runs the job after the named steps (none: at once). */
        public Builder step(String stepName, JobRequest job, String... after) {
            if (steps.put(stepName, new Step(stepName, Objects.requireNonNull(job, "job"), List.of(after), null))
                    != null) {
                repeated.add(stepName);
            }
            return this;
        }

        /**
         * A step that runs a batch (made by {@link BatchRequest#create()}, with at least one member, not kept open)
         * after the named steps (none: at once). Its members do not run before those steps have succeeded; the step
         * ends as its batch ends, after its callbacks were enqueued ({@link Step}).
         */
        public Builder step(String stepName, BatchRequest batch, String... after) {
            if (steps.put(
                            stepName,
                            new Step(stepName, null, List.of(after), null, Objects.requireNonNull(batch, "batch")))
                    != null) {
                repeated.add(stepName);
            }
            return this;
        }

        /** What steps do when a step they run after fails or is cancelled (default {@code CANCEL_DEPENDENTS}). */
        public Builder onFailure(FailurePolicy policy) {
            this.onFailure = Objects.requireNonNull(policy);
            return this;
        }

        /** What this step does when a step it runs after fails or is cancelled (instead of the workflow's policy). */
        public Builder onFailure(String stepName, FailurePolicy policy) {
            policies.put(stepName, Objects.requireNonNull(policy));
            return this;
        }

        /**
         * The workflow.
         *
         * @throws DependencyException      for a cycle, a step after an undeclared step, a step named twice, a policy
         *                                  for an undeclared step
         * @throws IllegalArgumentException for a bad name, no steps, too many steps
         */
        public WorkflowRequest build() {
            if (!repeated.isEmpty()) {
                throw new DependencyException(
                        "workflow '" + name + "' declares step '" + repeated.get(0) + "' twice: step names are unique");
            }
            List<Step> list = new ArrayList<>(steps.size());
            for (Step step : steps.values()) {
                list.add(new Step(step.name(), step.job(), step.after(), policies.get(step.name()), step.batch()));
            }
            for (String stepName : policies.keySet()) {
                if (!steps.containsKey(stepName)) {
                    throw new DependencyException("workflow '" + name + "' sets a failure policy for step '" + stepName
                            + "', which it does not declare");
                }
            }
            return new WorkflowRequest(name, onFailure, list);
        }
    }
}
