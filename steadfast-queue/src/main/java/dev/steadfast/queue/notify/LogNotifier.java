package dev.steadfast.queue.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes notifications to the log (stderr), one line each. */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger("steadfast.notify");

    @Override
    public void send(Notification n) {
        if (n.kind() == Notification.Kind.DATABASE_RECOVERED) {
            LOG.info("{}: {}", n.headline(), n.text());
        } else {
            LOG.warn("{}: {}", n.headline(), n.text());
        }
    }

    @Override
    public String describe() {
        return "log";
    }
}
