/** Which due jobs the live workers will start, and which wait for a worker that is not there. */
package dev.steadfast.queue.internal.coverage;
