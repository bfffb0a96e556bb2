/**
 * Helpers for the tests of applications that use Steadfast: {@link dev.steadfast.queue.testing.JobDrain} runs the
 * jobs a test enqueued, through the application's handlers, against a real database.
 */
package dev.steadfast.queue.testing;
