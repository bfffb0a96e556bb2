/** Gauges of queue depth, oldest job and live workers, sampled from the tables for Micrometer. */
package dev.steadfast.queue.metrics;
