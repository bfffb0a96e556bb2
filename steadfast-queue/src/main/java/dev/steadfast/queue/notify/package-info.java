/**
 * Notifications about a worker: {@link dev.steadfast.queue.notify.NotificationDispatcher} (a
 * {@link dev.steadfast.queue.events.WorkerListener} that turns events into messages, throttled by a
 * {@link dev.steadfast.queue.notify.NotificationPolicy}) and where they go ({@link dev.steadfast.queue.notify.Notifier}:
 * {@link dev.steadfast.queue.notify.LogNotifier}, {@link dev.steadfast.queue.notify.WebhookNotifier} in a
 * {@link dev.steadfast.queue.notify.WebhookFormat}). The command's {@code --notify-*} options and the starter's
 * {@code steadfast.notifications.*} settings configure them.
 *
 * <p><b>API</b>: covered by the compatibility promises of {@code dev.steadfast.queue}.
 */
package dev.steadfast.queue.notify;
