/** What a worker tells its listeners: attempts started and finished, the database lost and back. */
package dev.steadfast.queue.events;
