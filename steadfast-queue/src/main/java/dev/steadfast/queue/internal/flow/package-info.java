/**
 * Chains and workflows: jobs that run after others, declared one at a time ({@code after}) or as a named DAG, checked
 * and written in one transaction. What a parent's end releases is done by the store ({@code Dependents}).
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.queue.internal.flow;
