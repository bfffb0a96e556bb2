/** When recurring jobs are due (not API). */
package dev.steadfast.queue.internal.schedule;
